/**
 * The outside market's account: fills against the market (a match command) take their
 * other side from it, so it may go negative where a customer's balance never can. It is
 * not a customer; the id is fixed so every instance, migration and checker agrees on it.
 * migrations/001_init.sql exempts exactly this id from the balance CHECKs.
 */
export const MARKET_CUSTOMER_ID = '00000000-0000-0000-0000-000000000001'
