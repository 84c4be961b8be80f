-- A discussion forum as its MySQL/MariaDB installer would create it: unsigned keys, every
-- text size class, a self-referencing reply chain, a many-to-many tag table, boolean
-- flags as TINYINT(1), literal and CURRENT_TIMESTAMP defaults, and a view.
CREATE TABLE users (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  username VARCHAR(40) NOT NULL,
  display_name VARCHAR(80) NOT NULL DEFAULT '',
  signature TINYTEXT,
  is_admin TINYINT(1) NOT NULL DEFAULT 0,
  post_count INT UNSIGNED NOT NULL DEFAULT 0,
  joined_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY uq_users_username (username)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE threads (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  author_id INT UNSIGNED NOT NULL,
  title VARCHAR(255) NOT NULL,
  state VARCHAR(12) NOT NULL DEFAULT 'open',
  pinned TINYINT(1) NOT NULL DEFAULT 0,
  created_at DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY ix_threads_author (author_id),
  CONSTRAINT fk_threads_author FOREIGN KEY (author_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE posts (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  thread_id INT UNSIGNED NOT NULL,
  author_id INT UNSIGNED NOT NULL,
  reply_to BIGINT UNSIGNED DEFAULT NULL,
  body MEDIUMTEXT NOT NULL,
  rendered LONGTEXT,
  score SMALLINT NOT NULL DEFAULT 0,
  created_at DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY ix_posts_thread (thread_id, created_at DESC),
  KEY ix_posts_author (author_id),
  KEY ix_posts_reply_to (reply_to),
  CONSTRAINT fk_posts_thread FOREIGN KEY (thread_id) REFERENCES threads (id) ON DELETE CASCADE,
  CONSTRAINT fk_posts_author FOREIGN KEY (author_id) REFERENCES users (id),
  CONSTRAINT fk_posts_reply FOREIGN KEY (reply_to) REFERENCES posts (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE tags (
  id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT,
  slug VARCHAR(50) NOT NULL,
  description TEXT,
  PRIMARY KEY (id),
  UNIQUE KEY uq_tags_slug (slug)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE thread_tags (
  thread_id INT UNSIGNED NOT NULL,
  tag_id SMALLINT UNSIGNED NOT NULL,
  PRIMARY KEY (thread_id, tag_id),
  KEY ix_thread_tags_tag (tag_id),
  CONSTRAINT fk_thread_tags_thread FOREIGN KEY (thread_id) REFERENCES threads (id) ON DELETE CASCADE,
  CONSTRAINT fk_thread_tags_tag FOREIGN KEY (tag_id) REFERENCES tags (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE VIEW thread_activity AS
  SELECT t.id, t.title, COUNT(p.id) AS posts, MAX(p.created_at) AS last_post
  FROM threads t LEFT JOIN posts p ON p.thread_id = t.id GROUP BY t.id, t.title;

INSERT INTO users (id, username, display_name, signature, is_admin, post_count, joined_at) VALUES
  (1, 'root', 'The Admin', '-- sent from my desk', 1, 4294967295, '2020-01-01 00:00:00'),
  (2, 'ann', 'Ann', NULL, 0, 2, '2021-06-15 08:30:00');
INSERT INTO threads (id, author_id, title, state, pinned, created_at) VALUES
  (1, 1, 'Welcome! Read this first', 'locked', 1, '2020-01-01 00:00:01.000001'),
  (2, 2, 'Tabs or spaces?', 'open', 0, '2021-06-15 08:31:00.5');
INSERT INTO posts (id, thread_id, author_id, reply_to, body, rendered, score, created_at) VALUES
  (1, 1, 1, NULL, 'Be nice.', '<p>Be nice.</p>', 32767, '2020-01-01 00:00:02'),
  (2, 2, 2, NULL, 'Tabs.', NULL, -3, '2021-06-15 08:31:01'),
  (3, 2, 1, 2, 'Spaces, with a quote: "it''s fine"', NULL, 0, '2021-06-15 09:00:00.123456');
INSERT INTO tags (id, slug, description) VALUES (1, 'meta', 'About the forum'), (2, 'style', NULL);
INSERT INTO thread_tags (thread_id, tag_id) VALUES (1, 1), (2, 2), (2, 1);
