-- One database per service (SPEC §3: none reads another's), the pglog bus's, and Keycloak's.
CREATE DATABASE brokerage_customers;
CREATE DATABASE brokerage_assets;
CREATE DATABASE brokerage_orders;
CREATE DATABASE brokerage_processor;
CREATE DATABASE brokerage_notifications;
CREATE DATABASE brokerage_audit;
CREATE DATABASE brokerage_gateway;
CREATE DATABASE brokerage_bus;
CREATE DATABASE keycloak;
