// The corpus of realistic application schemas (tests/corpus/schemas/<name>.<dialect>.sql,
// written by the project in the style of real applications: unsigned keys, CHAR codes,
// enums, size classes of text, server defaults, views and triggers, each in the database's
// own idiom), the same test on SQLite, PostgreSQL and MariaDB. Each schema is
//   1. loaded by its own SQL script, with rows, into a fresh database (the source);
//   2. reflected, and compared with itself: no difference;
//   3. reproduced on an empty database through diff + plan, the way `revision
//      --autogenerate` + `upgrade` does: the copy reflects without difference both ways,
//      and every object the source holds that strata does not model is named in the notes;
//   4. filled with the source's rows (value by value, parents first): every row fits and
//      the copy's data checksums equal the source's, so types, sizes, signedness,
//      collations and padding kept what the source stores;
//   5. changed on the source, with its data, as an ordinary revision would (a column
//      added to every table, every bounded string widened, a foreign key column added
//      next to an existing key and indexed): afterwards every row and value is intact and
//      the database reflects as the changed model, with no difference left.
#include <catch2/catch.hpp>

#include <functional>
#include <map>
#include <string>

#include "core/error.hpp"
#include "migrations/differ.hpp"
#include "migrations/operation.hpp"
#include "migrations/plan.hpp"
#include "migrations/plan_executor.hpp"
#include "sql_script.hpp"
#include "support/test_database.hpp"

using namespace strata;
using strata::testing::TestDatabase;

namespace {

const std::string& d() { return strata::testing::dialect(); }

std::string listing(const DiffResult& r) {
    std::string out;
    for (const Operation& op : r.operations) out += describe(op) + "\n";
    return out;
}

// Brings the database to `desired` through the migration path.
void migrate(TestDatabase& db, const Metadata& desired) {
    Metadata current = db.dialect().reflect(db.connection());
    DiffResult r = diff(current, desired, {.dialect = &db.dialect()});
    Plan plan = make_plan(r.operations, db.dialect(), current, PlanOptions{&db.connection(), nullptr});
    execute_plan(plan, db.connection());
}

void load_script(TestDatabase& db, const std::string& schema) {
    const std::string path = std::string(STRATA_CORPUS_DIR) + "/" + schema + "." + d() + ".sql";
    for (const std::string& statement : strata::testing::split_sql_script(strata::testing::read_text_file(path))) {
        INFO(statement);
        db.connection().execute_unprepared(statement);
    }
}

std::vector<std::string> column_names(const Table& t) {
    std::vector<std::string> out;
    for (const Column& c : t.columns) out.push_back(c.name);
    return out;
}

std::string select_sql(const Dialect& dialect, const Table& t, const std::vector<std::string>& columns) {
    std::string sql = "SELECT ";
    for (std::size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + dialect.quote(columns[i]);
    sql += " FROM " + dialect.quote(t.name) + " ORDER BY ";
    const std::vector<std::string>& order = t.primary_key.columns.empty() ? columns : t.primary_key.columns;
    for (std::size_t i = 0; i < order.size(); ++i) sql += (i ? ", " : "") + dialect.quote(order[i]);
    return sql;
}

// Every byte of a value (to_display() abbreviates long blobs).
std::string full_text(const Value& v) {
    const Blob* blob = std::get_if<Blob>(&v);
    if (!blob) return to_display(v);
    std::string out = "x'";
    for (unsigned char b : blob->bytes) out += "0123456789abcdef"[b >> 4], out += "0123456789abcdef"[b & 15];
    return out + "'";
}

// Table name -> a digest of the rows of `source`'s columns, in key order. CHAR values
// compare without their blank padding (a wider CHAR pads the same value further, which
// the database itself treats as equal).
std::map<std::string, std::string> checksums(TestDatabase& db, const Metadata& source) {
    std::map<std::string, std::string> out;
    for (const Table& t : source.tables()) {
        std::string all;
        for (const auto& row : db.connection().query(select_sql(db.dialect(), t, column_names(t))).rows) {
            for (std::size_t i = 0; i < row.size(); ++i) {
                std::string text = full_text(row[i]);
                if (t.columns[i].type.fixed_length)
                    while (text.size() > 1 && text[text.size() - 2] == ' ') text.erase(text.size() - 2, 1);
                all += text + "|";
            }
            all += "\n";
        }
        out[t.name] = std::to_string(std::hash<std::string>{}(all)) + " (" + std::to_string(all.size()) + " bytes)";
    }
    return out;
}

void check_same_data(const std::map<std::string, std::string>& got, const std::map<std::string, std::string>& want) {
    REQUIRE(got.size() == want.size());
    for (const auto& [table, digest] : want) {
        INFO("table " << table);
        CHECK(got.at(table) == digest);
    }
}

// Copies every row of `source`'s tables from `from` into `to`, parents first.
void copy_rows(TestDatabase& from, TestDatabase& to, const Metadata& source) {
    for (const Table* t : source.sorted().tables) {
        const std::vector<std::string> columns = column_names(*t);
        std::string insert = "INSERT INTO " + to.dialect().quote(t->name) + " (";
        std::string marks;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            insert += (i ? ", " : "") + to.dialect().quote(columns[i]);
            marks += i ? ", ?" : "?";
        }
        // Identity columns GENERATED ALWAYS take the source's values only when told to.
        insert += d() == "postgres" ? ") OVERRIDING SYSTEM VALUE VALUES (" + marks + ")" : ") VALUES (" + marks + ")";
        insert = strata::testing::with_placeholders(to.dialect(), insert);
        for (const auto& row : from.connection().query(select_sql(from.dialect(), *t, columns)).rows) {
            INFO(t->name << ": " << insert);
            to.connection().execute(insert, row);
        }
    }
}

// The ordinary change: on every table a new nullable column, every bounded string 10
// characters wider (CHAR stays CHAR), and on the first table that can hold it a new
// foreign key column to another table's single-column key, of that key's exact type,
// with an index.
Metadata ordinary_change(const Metadata& source) {
    Metadata changed = source;
    const Table* target = nullptr;
    for (const Table& t : source.tables())
        if (t.primary_key.columns.size() == 1 && is_integer_kind(t.find_column(t.primary_key.columns[0])->type.kind)) {
            target = &t;
            break;
        }
    bool fk_added = false;
    for (const Table& original : source.tables()) {
        Table& t = *changed.find(original.name);
        for (Column& c : t.columns)
            if (c.type.kind == TypeKind::string && c.type.length) c.type.length = *c.type.length + 10;
        Column note;
        note.name = "corpus_note";
        note.type = types::string(40);
        t.columns.push_back(note);
        if (fk_added || !target || target->name == t.name) continue;
        Column ref;
        ref.name = "corpus_ref_id";
        ref.type = target->find_column(target->primary_key.columns[0])->type;
        ref.type.native.clear();
        t.columns.push_back(ref);
        t.foreign_keys.push_back(ForeignKey{"", {"corpus_ref_id"}, target->name, target->primary_key.columns});
        t.indexes.push_back(Index{"", {"corpus_ref_id"}});
        apply_naming_convention(t);
        fk_added = true;
    }
    return changed;
}

void run_corpus(const std::string& schema) {
    TestDatabase source;
    load_script(source, schema);
    const Metadata reflected = source.dialect().reflect(source.connection());
    REQUIRE(reflected.tables().size() >= 3);
    INFO(reflected.describe());
    DiffResult self = diff(reflected, reflected, {.dialect = &source.dialect()});
    CHECK(listing(self).empty());
    const std::map<std::string, std::string> before = checksums(source, reflected);

    TestDatabase copy;
    migrate(copy, reflected);
    const Metadata copied = copy.dialect().reflect(copy.connection());
    DiffResult forth = diff(copied, reflected, {.dialect = &copy.dialect()});
    DiffResult back = diff(reflected, copied, {.dialect = &copy.dialect()});
    CHECK(listing(forth).empty());
    CHECK(listing(back).empty());
    // What the copy lacks is named: every unmodelled object of the source is in the notes.
    for (const UnmodelledObject& object : reflected.unmodelled()) {
        bool named = false;
        for (const UnmodelledObject& noted : forth.unmodelled) named = named || noted == object;
        CHECK(named);
    }
    copy_rows(source, copy, reflected);
    check_same_data(checksums(copy, reflected), before);

    const Metadata changed = ordinary_change(reflected);
    migrate(source, changed);
    check_same_data(checksums(source, reflected), before);
    const Metadata after = source.dialect().reflect(source.connection());
    CHECK(listing(diff(after, changed, {.dialect = &source.dialect()})).empty());
}

}  // namespace

TEST_CASE("corpus: shop (customers, products, orders, with unsigned keys, CHAR codes, enums, a view, a trigger)",
          "[corpus]") {
    run_corpus("shop");
}

TEST_CASE("corpus: forum (users, threads, posts, tags, with text classes, defaults, self reference, a view)", "[corpus]") {
    run_corpus("forum");
}

TEST_CASE("corpus: ledger (accounts, journal entries, postings, with exact decimals, dates, codes, audit trigger)",
          "[corpus]") {
    run_corpus("ledger");
}
