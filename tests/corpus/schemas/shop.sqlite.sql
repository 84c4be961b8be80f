-- A web shop as a SQLite application would create it: AUTOINCREMENT keys, CHAR codes,
-- an enumerated status kept by a CHECK, money as NUMERIC, defaults, a view and a trigger
-- that keeps order totals, a partial and an expression index.
CREATE TABLE customers (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email VARCHAR(190) NOT NULL,
  full_name VARCHAR(120) NOT NULL,
  country CHAR(2) NOT NULL DEFAULT 'US',
  loyalty_points INTEGER NOT NULL DEFAULT 0,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT uq_customers_email UNIQUE (email),
  CONSTRAINT ck_customers_points CHECK (loyalty_points >= 0)
);

CREATE TABLE products (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  sku CHAR(12) NOT NULL,
  title VARCHAR(200) NOT NULL,
  description TEXT,
  price NUMERIC(10,2) NOT NULL,
  status VARCHAR(10) NOT NULL DEFAULT 'draft',
  CONSTRAINT uq_products_sku UNIQUE (sku),
  CONSTRAINT ck_products_status CHECK (status IN ('draft', 'active', 'retired'))
);
CREATE INDEX ix_products_status ON products (status);

CREATE TABLE orders (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  customer_id INTEGER NOT NULL,
  placed_at DATETIME NOT NULL,
  total NUMERIC(12,2) NOT NULL DEFAULT 0,
  notes TEXT,
  CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE
);
CREATE INDEX ix_orders_customer ON orders (customer_id);
CREATE INDEX ix_orders_unshipped ON orders (placed_at DESC) WHERE total > 0;
CREATE INDEX ix_customers_email_lower ON customers (lower(email));

CREATE TABLE order_items (
  order_id INTEGER NOT NULL,
  product_id INTEGER NOT NULL,
  quantity SMALLINT NOT NULL DEFAULT 1,
  unit_price NUMERIC(10,2) NOT NULL,
  CONSTRAINT pk_order_items PRIMARY KEY (order_id, product_id),
  CONSTRAINT fk_items_order FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE,
  CONSTRAINT fk_items_product FOREIGN KEY (product_id) REFERENCES products (id)
);
CREATE INDEX ix_order_items_product ON order_items (product_id);

CREATE VIEW order_totals AS
  SELECT o.id AS order_id, o.customer_id, SUM(i.quantity * i.unit_price) AS amount
  FROM orders o JOIN order_items i ON i.order_id = o.id
  GROUP BY o.id, o.customer_id;

DELIMITER //
CREATE TRIGGER trg_items_total AFTER INSERT ON order_items
BEGIN
  UPDATE orders SET total = total + NEW.quantity * NEW.unit_price WHERE id = NEW.order_id;
END //
DELIMITER ;

INSERT INTO customers (id, email, full_name, country, loyalty_points, created_at) VALUES
  (1, 'ann@example.com', 'Ann O''Neil', 'IE', 9007199254740993, '2024-01-02 03:04:05'),
  (2, 'bo@example.com', 'Bo Zoë Jensen', 'DK', 0, '2024-02-03 04:05:06');
INSERT INTO products (id, sku, title, description, price, status) VALUES
  (1, 'SKU-0001', 'Kettle', 'Boils water.', 39.90, 'active'),
  (2, 'SKU-2', 'Naïve tea cup', NULL, 4.5, 'draft');
INSERT INTO orders (id, customer_id, placed_at, notes) VALUES
  (1, 1, '2024-05-01 10:00:00', 'leave at the door'),
  (2, 2, '2024-06-01 12:00:00', NULL);
INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES
  (1, 1, 2, 39.90), (1, 2, 3, 4.50), (2, 1, 1, 39.90);
