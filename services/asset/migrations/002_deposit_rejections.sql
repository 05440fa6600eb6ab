-- A deposit the ledger could not take (its balance would pass 2^53−1) is answered
-- DepositRejected and kept here with its reason, so a re-sent request for the same
-- movement is recognised and never credited after the customer was told it was refused.
-- A rejected deposit credited nothing: conservation counts only rows without a reason.

ALTER TABLE deposits ADD COLUMN rejection_reason text;
