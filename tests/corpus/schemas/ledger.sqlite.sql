-- Double-entry bookkeeping as a SQLite application would create it: natural CHAR keys,
-- decimals as NUMERIC, dates and times as text, CHECKs, a CURRENT_DATE default, and an
-- audit table filled by a trigger.
CREATE TABLE currencies (
  iso CHAR(3) NOT NULL PRIMARY KEY,
  name VARCHAR(60) NOT NULL,
  minor_units SMALLINT NOT NULL DEFAULT 2,
  CONSTRAINT ck_currencies_minor CHECK (minor_units BETWEEN 0 AND 4)
);

CREATE TABLE accounts (
  code CHAR(6) NOT NULL PRIMARY KEY,
  name VARCHAR(120) NOT NULL,
  kind VARCHAR(10) NOT NULL,
  currency CHAR(3) NOT NULL REFERENCES currencies (iso),
  opened_on DATE NOT NULL DEFAULT CURRENT_DATE,
  CONSTRAINT ck_accounts_kind CHECK (kind IN ('asset', 'liability', 'equity', 'income', 'expense'))
);
CREATE INDEX ix_accounts_currency ON accounts (currency);

CREATE TABLE journal_entries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  booked_on DATE NOT NULL,
  booked_at TIME NOT NULL DEFAULT '00:00:00',
  memo VARCHAR(255) NOT NULL DEFAULT '',
  reversed BOOLEAN NOT NULL DEFAULT 0
);
CREATE INDEX ix_journal_booked ON journal_entries (booked_on);

CREATE TABLE postings (
  entry_id INTEGER NOT NULL REFERENCES journal_entries (id) ON DELETE CASCADE,
  line_no INTEGER NOT NULL,
  account_code CHAR(6) NOT NULL REFERENCES accounts (code) ON UPDATE CASCADE,
  amount NUMERIC(18,4) NOT NULL,
  CONSTRAINT pk_postings PRIMARY KEY (entry_id, line_no),
  CONSTRAINT ck_postings_amount CHECK (amount <> 0)
);
CREATE INDEX ix_postings_account ON postings (account_code);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  table_name VARCHAR(64) NOT NULL,
  row_key VARCHAR(100) NOT NULL,
  logged_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

DELIMITER //
CREATE TRIGGER trg_postings_audit AFTER INSERT ON postings
BEGIN
  INSERT INTO audit_log (table_name, row_key) VALUES ('postings', NEW.entry_id || '/' || NEW.line_no);
END //
DELIMITER ;

INSERT INTO currencies (iso, name, minor_units) VALUES ('EUR', 'Euro', 2), ('JPY', 'Yen', 0), ('BHD', 'Bahraini dinar', 3);
INSERT INTO accounts (code, name, kind, currency, opened_on) VALUES
  ('1000', 'Cash', 'asset', 'EUR', '2020-01-01'),
  ('4000', 'Sales', 'income', 'EUR', '2020-01-01'),
  ('2100', 'Payables, Japan', 'liability', 'JPY', '2022-04-01');
INSERT INTO journal_entries (id, booked_on, booked_at, memo, reversed) VALUES
  (1, '2024-01-31', '17:45:00', 'January takings', 0),
  (2, '2024-02-29', '09:00:01', 'Leap day, it''s real', 1);
INSERT INTO postings (entry_id, line_no, account_code, amount) VALUES
  (1, 1, '1000', 1234.5678), (1, 2, '4000', -1234.5678),
  (2, 1, '2100', 99999999.9999), (2, 2, '1000', -0.0001);
