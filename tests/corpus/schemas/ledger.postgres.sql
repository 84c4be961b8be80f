-- Double-entry bookkeeping as its PostgreSQL schema would create it: natural CHAR keys,
-- exact numerics, date and time, CURRENT_DATE, 'now' and cast defaults, a CHECK across
-- columns, a domain, an enum type, a named sequence shared by a default, a materialized
-- view with its index, an audit table filled by a trigger function.
CREATE DOMAIN posting_amount AS numeric(18,4) CONSTRAINT ck_posting_amount_nonzero CHECK (VALUE <> 0);
CREATE TYPE account_kind AS ENUM ('asset', 'liability', 'equity', 'income', 'expense');
CREATE SEQUENCE voucher_numbers AS integer START WITH 1000 INCREMENT BY 10;

CREATE TABLE currencies (
  iso char(3) PRIMARY KEY,
  name varchar(60) NOT NULL,
  minor_units smallint NOT NULL DEFAULT 2 CONSTRAINT ck_currencies_minor CHECK (minor_units BETWEEN 0 AND 4)
);

CREATE TABLE accounts (
  code char(6) PRIMARY KEY,
  name varchar(120) NOT NULL,
  kind account_kind NOT NULL DEFAULT 'asset',
  currency char(3) NOT NULL CONSTRAINT fk_accounts_currency REFERENCES currencies (iso),
  opened_on date NOT NULL DEFAULT CURRENT_DATE
);
CREATE INDEX ix_accounts_currency ON accounts (currency);

CREATE TABLE journal_entries (
  id bigserial PRIMARY KEY,
  booked_on date NOT NULL,
  booked_at time(0) NOT NULL DEFAULT '00:00:00'::time without time zone,
  memo varchar(255) NOT NULL DEFAULT ''::character varying,
  reversed boolean NOT NULL DEFAULT false,
  voucher_no integer NOT NULL DEFAULT nextval('voucher_numbers'),
  entered_on date NOT NULL DEFAULT ('now'::text)::date,
  amount_check numeric(18,4)
);
CREATE INDEX ix_journal_booked ON journal_entries (booked_on);

CREATE TABLE postings (
  entry_id bigint NOT NULL CONSTRAINT fk_postings_entry REFERENCES journal_entries (id) ON DELETE CASCADE,
  line_no integer NOT NULL,
  account_code char(6) NOT NULL CONSTRAINT fk_postings_account REFERENCES accounts (code) ON UPDATE CASCADE,
  amount posting_amount NOT NULL,
  CONSTRAINT pk_postings PRIMARY KEY (entry_id, line_no)
);
CREATE INDEX ix_postings_account ON postings (account_code);

CREATE MATERIALIZED VIEW account_balances AS
  SELECT p.account_code, a.currency, sum(p.amount) AS balance, count(*) AS postings
  FROM postings p JOIN accounts a ON a.code = p.account_code
  GROUP BY p.account_code, a.currency;
CREATE UNIQUE INDEX ux_account_balances ON account_balances (account_code);

CREATE TABLE audit_log (
  id serial PRIMARY KEY,
  table_name varchar(64) NOT NULL,
  row_key varchar(100) NOT NULL,
  logged_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE FUNCTION audit_posting() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  INSERT INTO audit_log (table_name, row_key) VALUES ('postings', NEW.entry_id || '/' || NEW.line_no);
  RETURN NEW;
END;
$body$;
CREATE TRIGGER trg_postings_audit AFTER INSERT ON postings FOR EACH ROW EXECUTE FUNCTION audit_posting();

INSERT INTO currencies (iso, name, minor_units) VALUES ('EUR', 'Euro', 2), ('JPY', 'Yen', 0), ('BHD', 'Bahraini dinar', 3);
INSERT INTO accounts (code, name, kind, currency, opened_on) VALUES
  ('1000', 'Cash', 'asset', 'EUR', '2020-01-01'),
  ('4000', 'Sales', 'income', 'EUR', '2020-01-01'),
  ('2100', 'Payables, Japan', 'liability', 'JPY', '2022-04-01');
INSERT INTO journal_entries (id, booked_on, booked_at, memo, reversed) VALUES
  (1, '2024-01-31', '17:45:00', 'January takings', false),
  (12000000000, '2024-02-29', '09:00:01', 'Leap day, it''s real', true);
INSERT INTO journal_entries (id, booked_on, memo, voucher_no, entered_on) VALUES
  (7, '2023-12-31', 'Year end', 42, '2024-01-02');
INSERT INTO postings (entry_id, line_no, account_code, amount) VALUES
  (1, 1, '1000', 1234.5678), (1, 2, '4000', -1234.5678),
  (12000000000, 1, '2100', 99999999999999.9999), (12000000000, 2147483647, '1000', -0.0001);
