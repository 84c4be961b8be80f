-- A web shop as its MySQL/MariaDB install script would create it: unsigned keys of every
-- size, CHAR codes, an ENUM, money as DECIMAL, TIMESTAMP and DATETIME, a text size class,
-- YEAR, a case-sensitive (utf8mb4_bin) unique e-mail in a utf8mb4_unicode_ci table, a latin1
-- column, ROW_FORMAT, ON UPDATE CURRENT_TIMESTAMP, a view and a trigger that keeps order totals.
CREATE TABLE customers (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  email VARCHAR(190) COLLATE utf8mb4_bin NOT NULL,
  full_name VARCHAR(120) NOT NULL,
  legacy_code VARCHAR(20) CHARACTER SET latin1 DEFAULT NULL,
  country CHAR(2) NOT NULL DEFAULT 'US',
  loyalty_points MEDIUMINT UNSIGNED NOT NULL DEFAULT 0,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY uq_customers_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE products (
  id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT,
  sku CHAR(12) NOT NULL,
  title VARCHAR(200) NOT NULL,
  description MEDIUMTEXT,
  price DECIMAL(10,2) NOT NULL,
  weight_grams INT UNSIGNED DEFAULT NULL,
  status ENUM('draft','active','retired') NOT NULL DEFAULT 'draft',
  released YEAR DEFAULT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_products_sku (sku),
  KEY ix_products_status (status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=COMPACT;

CREATE TABLE orders (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  customer_id INT UNSIGNED NOT NULL,
  placed_at DATETIME NOT NULL,
  shipped_at DATETIME(3) DEFAULT NULL,
  total DECIMAL(12,2) NOT NULL DEFAULT 0.00,
  notes TEXT,
  PRIMARY KEY (id),
  KEY ix_orders_customer (customer_id),
  CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE order_items (
  order_id BIGINT UNSIGNED NOT NULL,
  product_id SMALLINT UNSIGNED NOT NULL,
  quantity TINYINT UNSIGNED NOT NULL DEFAULT 1,
  unit_price DECIMAL(10,2) NOT NULL,
  PRIMARY KEY (order_id, product_id),
  KEY ix_order_items_product (product_id),
  CONSTRAINT fk_items_order FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE,
  CONSTRAINT fk_items_product FOREIGN KEY (product_id) REFERENCES products (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE VIEW order_totals AS
  SELECT o.id AS order_id, o.customer_id, SUM(i.quantity * i.unit_price) AS amount
  FROM orders o JOIN order_items i ON i.order_id = o.id
  GROUP BY o.id, o.customer_id;

DELIMITER //
CREATE TRIGGER trg_items_total AFTER INSERT ON order_items FOR EACH ROW
BEGIN
  UPDATE orders SET total = total + NEW.quantity * NEW.unit_price WHERE id = NEW.order_id;
END //
DELIMITER ;

INSERT INTO customers (id, email, full_name, legacy_code, country, loyalty_points, created_at, updated_at) VALUES
  (1, 'ann@example.com', 'Ann O''Neil', 'CÆ-17', 'IE', 16777215, '2024-01-02 03:04:05', '2024-01-02 03:04:05'),
  (2, 'bo@example.com', 'Bo Zoë Jensen', NULL, 'DK', 0, '2024-02-03 04:05:06', '2024-02-03 04:05:06'),
  (3, 'Ann@example.com', 'Another Ann (case-sensitive e-mail)', NULL, 'IE', 1, '2024-02-04 00:00:00', '2024-02-04 00:00:00'),
  (4000000000, 'max@example.com', 'Max "Unsigned" Key', NULL, 'US', 42, '2024-03-04 05:06:07', '2024-03-04 05:06:07');
INSERT INTO products (id, sku, title, description, price, weight_grams, status, released) VALUES
  (1, 'SKU-0001', 'Kettle', 'Boils water.\nTwo lines.', 39.90, 1200, 'active', 2021),
  (65535, 'SKU-65535', 'Heavy anvil', NULL, 1999.99, 4294967295, 'retired', NULL),
  (3, 'SKU-0003', 'Naïve tea cup', REPEAT('x', 70000), 4.50, NULL, 'draft', 1999);
INSERT INTO orders (id, customer_id, placed_at, shipped_at, notes) VALUES
  (1, 1, '2024-05-01 10:00:00', '2024-05-02 11:22:33.456', 'leave at the door'),
  (9000000000, 4000000000, '2024-06-01 12:00:00', NULL, NULL);
INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES
  (1, 1, 2, 39.90), (1, 3, 255, 4.50), (9000000000, 65535, 1, 1999.99);
