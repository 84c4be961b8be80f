-- Double-entry bookkeeping as its MySQL/MariaDB schema script would create it: natural
-- CHAR keys (currency and account codes), exact decimals, DATE and TIME, a BIGINT
-- UNSIGNED journal key, an audit table filled by a trigger, a BIT flag column.
CREATE TABLE currencies (
  iso CHAR(3) NOT NULL,
  name VARCHAR(60) NOT NULL,
  minor_units TINYINT UNSIGNED NOT NULL DEFAULT 2,
  PRIMARY KEY (iso)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE accounts (
  code CHAR(6) NOT NULL,
  name VARCHAR(120) NOT NULL,
  kind ENUM('asset','liability','equity','income','expense') NOT NULL,
  currency CHAR(3) NOT NULL,
  flags BIT(4) NOT NULL DEFAULT b'0000',
  opened_on DATE NOT NULL,
  PRIMARY KEY (code),
  KEY ix_accounts_currency (currency),
  CONSTRAINT fk_accounts_currency FOREIGN KEY (currency) REFERENCES currencies (iso)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE journal_entries (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  booked_on DATE NOT NULL,
  booked_at TIME NOT NULL DEFAULT '00:00:00',
  memo VARCHAR(255) NOT NULL DEFAULT '',
  reversed TINYINT(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  KEY ix_journal_booked (booked_on)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE postings (
  entry_id BIGINT UNSIGNED NOT NULL,
  line_no SMALLINT UNSIGNED NOT NULL,
  account_code CHAR(6) NOT NULL,
  amount DECIMAL(18,4) NOT NULL,
  PRIMARY KEY (entry_id, line_no),
  KEY ix_postings_account (account_code),
  CONSTRAINT fk_postings_entry FOREIGN KEY (entry_id) REFERENCES journal_entries (id) ON DELETE CASCADE,
  CONSTRAINT fk_postings_account FOREIGN KEY (account_code) REFERENCES accounts (code) ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE audit_log (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  table_name VARCHAR(64) NOT NULL,
  row_key VARCHAR(100) NOT NULL,
  logged_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

DELIMITER //
CREATE TRIGGER trg_postings_audit AFTER INSERT ON postings FOR EACH ROW
BEGIN
  INSERT INTO audit_log (table_name, row_key) VALUES ('postings', CONCAT(NEW.entry_id, '/', NEW.line_no));
END //
DELIMITER ;

INSERT INTO currencies (iso, name, minor_units) VALUES ('EUR', 'Euro', 2), ('JPY', 'Yen', 0), ('BHD', 'Bahraini dinar', 3);
INSERT INTO accounts (code, name, kind, currency, flags, opened_on) VALUES
  ('1000', 'Cash', 'asset', 'EUR', b'0001', '2020-01-01'),
  ('4000', 'Sales', 'income', 'EUR', b'1010', '2020-01-01'),
  ('2100', 'Payables, Japan', 'liability', 'JPY', b'0000', '2022-04-01');
INSERT INTO journal_entries (id, booked_on, booked_at, memo, reversed) VALUES
  (1, '2024-01-31', '17:45:00', 'January takings', 0),
  (12000000000, '2024-02-29', '09:00:01', 'Leap day, it''s real', 1);
INSERT INTO postings (entry_id, line_no, account_code, amount) VALUES
  (1, 1, '1000', 1234.5678), (1, 2, '4000', -1234.5678),
  (12000000000, 1, '2100', 99999999999999.9999), (12000000000, 65535, '1000', -0.0001);
