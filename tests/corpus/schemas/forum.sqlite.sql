-- A discussion forum as a SQLite application would create it: rowid keys, booleans,
-- a self-referencing reply chain, a tag table, literal and CURRENT_TIMESTAMP defaults,
-- and a view.
CREATE TABLE users (
  id INTEGER NOT NULL PRIMARY KEY,
  username VARCHAR(40) NOT NULL,
  display_name VARCHAR(80) NOT NULL DEFAULT '',
  signature TEXT,
  is_admin BOOLEAN NOT NULL DEFAULT 0,
  post_count INTEGER NOT NULL DEFAULT 0,
  joined_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT uq_users_username UNIQUE (username)
);

CREATE TABLE threads (
  id INTEGER NOT NULL PRIMARY KEY,
  author_id INTEGER NOT NULL REFERENCES users (id),
  title VARCHAR(255) NOT NULL,
  state VARCHAR(12) NOT NULL DEFAULT 'open',
  pinned BOOLEAN NOT NULL DEFAULT 0,
  created_at DATETIME NOT NULL
);
CREATE INDEX ix_threads_author ON threads (author_id);

CREATE TABLE posts (
  id INTEGER NOT NULL PRIMARY KEY,
  thread_id INTEGER NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
  author_id INTEGER NOT NULL REFERENCES users (id),
  reply_to INTEGER REFERENCES posts (id) ON DELETE SET NULL,
  body TEXT NOT NULL,
  score SMALLINT NOT NULL DEFAULT 0,
  created_at DATETIME NOT NULL
);
CREATE INDEX ix_posts_thread ON posts (thread_id, created_at);
CREATE INDEX ix_posts_author ON posts (author_id);

CREATE TABLE tags (
  id INTEGER NOT NULL PRIMARY KEY,
  slug VARCHAR(50) NOT NULL,
  description TEXT,
  CONSTRAINT uq_tags_slug UNIQUE (slug)
);

CREATE TABLE thread_tags (
  thread_id INTEGER NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
  tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  CONSTRAINT pk_thread_tags PRIMARY KEY (thread_id, tag_id)
);

CREATE VIEW thread_activity AS
  SELECT t.id, t.title, COUNT(p.id) AS posts, MAX(p.created_at) AS last_post
  FROM threads t LEFT JOIN posts p ON p.thread_id = t.id GROUP BY t.id, t.title;

INSERT INTO users (id, username, display_name, signature, is_admin, post_count, joined_at) VALUES
  (1, 'root', 'The Admin', '-- sent from my desk', 1, 2147483647, '2020-01-01 00:00:00'),
  (2, 'ann', 'Ann', NULL, 0, 2, '2021-06-15 08:30:00');
INSERT INTO threads (id, author_id, title, state, pinned, created_at) VALUES
  (1, 1, 'Welcome! Read this first', 'locked', 1, '2020-01-01 00:00:01'),
  (2, 2, 'Tabs or spaces?', 'open', 0, '2021-06-15 08:31:00');
INSERT INTO posts (id, thread_id, author_id, reply_to, body, score, created_at) VALUES
  (1, 1, 1, NULL, 'Be nice.', 32767, '2020-01-01 00:00:02'),
  (2, 2, 2, NULL, 'Tabs.', -3, '2021-06-15 08:31:01'),
  (3, 2, 1, 2, 'Spaces, with a quote: "it''s fine"', 0, '2021-06-15 09:00:00');
INSERT INTO tags (id, slug, description) VALUES (1, 'meta', 'About the forum'), (2, 'style', NULL);
INSERT INTO thread_tags (thread_id, tag_id) VALUES (1, 1), (2, 2), (2, 1);
