// json_bench: the query page parser against simdjson On-Demand, on real pages (issue 11).
//
//   build/bench/json_bench [--accounts=20000] [--contacts=20000] [--seconds=2]
//
// sfsync-sim (a separate process, --no-org plus generated Accounts and Contacts) serves the pages;
// they are fetched once over HTTP (bench::restFloor) and kept in memory. Two page sets:
//   accounts  the issue 11 Company Sync query (bench::companyJob10: 10 fields, 2000-record pages)
//   contacts  the Company Person Sync query's fields plus three relationship paths (Account.Name,
//             Account.Industry, ReportsTo.Email: nested objects, some null)
// Each set is parsed again and again for about --seconds by
//   ours      salesforce::QueryPageParser::parse, the function HttpSalesforceClient uses
//   simdjson  SimdPageParser below: simdjson On-Demand filling the same RecordPage (the same column
//             trie, case-insensitive keys, int64 / double / string / bool / null, nested
//             relationship objects, compound values kept as JSON text)
// and prints MB/s and records/s for both. Before timing, every page's rows from both parsers are
// compared cell by cell (a mismatch is printed and the bench exits 1).
// Differences that stay: simdjson rejects a document with invalid UTF-8 (ours replaces the bad
// bytes with U+FFFD and counts them), and it needs SIMDJSON_PADDING spare bytes after the body
// (the bench reserves them; the client would have to as well). Not a test, not run by CI.
#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "BenchSupport.h"
#include "salesforce/QueryPageParser.h"
#include "sfsync/salesforce/RecordPage.h"
#include "sfsync/salesforce/SoqlBuilder.h"

namespace {

using namespace sfsync;
using Clock = std::chrono::steady_clock;
namespace od = simdjson::ondemand;

#define SFSYNC_STR2(x) #x
#define SFSYNC_STR(x) SFSYNC_STR2(x)

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// simdjson On-Demand into a RecordPage: the same column trie as QueryPageParser.
class SimdPageParser {
 public:
  explicit SimdPageParser(const std::vector<std::string>& columns) : columnCount_(columns.size()) {
    nodes_.emplace_back();
    for (std::size_t col = 0; col < columns.size(); ++col) {
      std::string_view path = columns[col];
      int node = 0;
      for (;;) {
        const std::size_t dot = path.find('.');
        std::string segment(path.substr(0, dot));
        for (char& c : segment) c = lower(c);
        int child = -1;
        for (int c : nodes_[node].children) {
          if (nodes_[c].name == segment) child = c;
        }
        if (child < 0) {
          child = static_cast<int>(nodes_.size());
          nodes_.push_back(Node{segment, {}, {}});
          nodes_[node].children.push_back(child);
        }
        node = child;
        if (dot == std::string_view::npos) break;
        path.remove_prefix(dot + 1);
      }
      nodes_[node].columns.push_back(static_cast<int>(col));
    }
  }

  // `body` must have SIMDJSON_PADDING bytes of capacity after its size.
  bool parse(od::parser& parser, const std::string& body, salesforce::RecordPage& page,
             std::string& nextRecordsUrl) const {
    page.rows.clear();
    page.structuredCells.clear();
    nextRecordsUrl.clear();
    od::document doc;
    if (parser.iterate(body.data(), body.size(), body.capacity()).get(doc)) return false;
    od::object top;
    if (doc.get_object().get(top)) return false;
    for (auto field : top) {
      std::string_view key;
      if (field.unescaped_key().get(key)) return false;
      od::value v;
      if (field.value().get(v)) return false;
      if (key == "records") {
        od::array records;
        if (v.get_array().get(records)) return false;
        for (auto record : records) {
          od::object object;
          if (record.get_object().get(object)) return false;
          page.rows.emplace_back(columnCount_);
          if (!parseObject(object, nodes_[0], page)) return false;
        }
      } else if (key == "done") {
        if (v.get_bool().get(page.done)) return false;
      } else if (key == "totalSize") {
        if (v.get_int64().get(page.totalSize)) return false;
      } else if (key == "nextRecordsUrl") {
        bool null = false;
        if (v.is_null().get(null)) return false;
        std::string_view url;
        if (!null && v.get_string().get(url)) return false;
        nextRecordsUrl.assign(url);
      }
    }
    return true;
  }

 private:
  struct Node {
    std::string name;
    std::vector<int> columns;
    std::vector<int> children;
  };

  int findChild(const Node& node, std::string_view key) const {
    for (int idx : node.children) {
      const std::string& name = nodes_[idx].name;
      if (name.size() != key.size()) continue;
      std::size_t i = 0;
      while (i < key.size() && lower(key[i]) == name[i]) ++i;
      if (i == key.size()) return idx;
    }
    return -1;
  }

  static bool scalar(od::value& v, od::json_type type, Value& out) {
    switch (type) {
      case od::json_type::string: {
        std::string_view s;
        if (v.get_string().get(s)) return false;
        out.emplace<std::string>(s);
        return true;
      }
      case od::json_type::number: {
        od::number_type kind;
        if (v.get_number_type().get(kind)) return false;
        if (kind == od::number_type::signed_integer) {
          std::int64_t i = 0;
          if (v.get_int64().get(i)) return false;
          out = i;
          return true;
        }
        double d = 0;
        if (v.get_double().get(d)) return false;
        out = d;
        return true;
      }
      case od::json_type::boolean: {
        bool b = false;
        if (v.get_bool().get(b)) return false;
        out = b;
        return true;
      }
      default:
        out = Value{};
        return true;
    }
  }

  bool parseObject(od::object& object, const Node& node, salesforce::RecordPage& page) const {
    std::vector<Value>& row = page.rows.back();
    for (auto field : object) {
      std::string_view key;
      if (field.unescaped_key().get(key)) return false;
      const int child = findChild(node, key);
      if (child < 0) continue;  // On-Demand skips the value
      const Node& target = nodes_[child];
      od::value v;
      od::json_type type;
      if (field.value().get(v) || v.type().get(type)) return false;
      if (type == od::json_type::object || type == od::json_type::array) {
        if (!structured(v, type, target, page)) return false;
      } else if (!target.columns.empty()) {
        if (!scalar(v, type, row[target.columns.front()])) return false;
        for (std::size_t i = 1; i < target.columns.size(); ++i) {
          row[target.columns[i]] = row[target.columns.front()];
        }
      }
    }
    return true;
  }

  // An object (descended into when the trie has paths below it) or array value.
  bool structured(od::value& v, od::json_type type, const Node& target,
                  salesforce::RecordPage& page) const {
    if (type == od::json_type::object && !target.children.empty() && target.columns.empty()) {
      od::object inner;
      return !v.get_object().get(inner) && parseObject(inner, target, page);
    }
    // Requested as a column itself: keep its JSON text (not descended; rare for query pages).
    std::string_view raw;
    if (simdjson::to_json_string(v).get(raw)) return false;
    const auto rowIndex = static_cast<std::uint32_t>(page.rows.size() - 1);
    for (int col : target.columns) {
      page.rows.back()[col].emplace<std::string>(raw);
      page.structuredCells.emplace_back(rowIndex, static_cast<std::uint32_t>(col));
    }
    return true;
  }

  std::vector<Node> nodes_;
  std::size_t columnCount_ = 0;
};

struct PageSet {
  std::string name;
  std::vector<std::string> columns;
  std::vector<std::string> bodies;  // each with SIMDJSON_PADDING spare capacity
  long long bytes = 0;
  long long records = 0;
};

PageSet fetch(const std::string& name, const std::string& url, const config::JobConfig& job,
              const std::vector<std::string>& extra) {
  PageSet set;
  set.name = name;
  set.columns = job.sourceFields();
  set.columns.insert(set.columns.end(), extra.begin(), extra.end());
  salesforce::SoqlBuilder soql(job.sourceObject);
  soql.select(set.columns);
  soql.orderBy("SystemModstamp, Id");
  const bench::Floor floor = bench::restFloor(url, soql.build(), [&](const std::string& body) {
    std::string copy;
    copy.reserve(body.size() + simdjson::SIMDJSON_PADDING);
    copy = body;
    set.bodies.push_back(std::move(copy));
    set.bytes += static_cast<long long>(body.size());
  });
  if (!floor.ok) {
    std::fprintf(stderr, "json_bench: fetching %s: %s\n", name.c_str(), floor.note.c_str());
    std::exit(1);
  }
  return set;
}

// Both parsers agree on every page; counts the records.
bool agree(PageSet& set) {
  const salesforce::QueryPageParser ours(set.columns);
  const SimdPageParser simd(set.columns);
  od::parser parser;
  for (std::size_t p = 0; p < set.bodies.size(); ++p) {
    salesforce::RecordPage a, b;
    std::string nextA, nextB;
    const Status status = ours.parse(set.bodies[p], a, nextA);
    if (!status.ok() || !simd.parse(parser, set.bodies[p], b, nextB)) {
      std::fprintf(stderr, "json_bench: %s page %zu: a parser failed (%s)\n", set.name.c_str(), p,
                   status.toString().c_str());
      return false;
    }
    if (a.rows != b.rows || nextA != nextB || a.done != b.done || a.totalSize != b.totalSize ||
        a.structuredCells != b.structuredCells) {
      std::fprintf(stderr, "json_bench: %s page %zu: the parsers disagree\n", set.name.c_str(), p);
      return false;
    }
    set.records += static_cast<long long>(a.rows.size());
  }
  return true;
}

// Parses every page of `set` with `parseOne` until `seconds` have passed; prints one line.
template <typename F>
void timed(const char* who, const PageSet& set, double seconds, F parseOne) {
  salesforce::RecordPage page;
  std::string next;
  long passes = 0;
  const auto start = Clock::now();
  double elapsed = 0;
  do {
    for (const std::string& body : set.bodies) {
      if (!parseOne(body, page, next)) {
        std::fprintf(stderr, "json_bench: %s failed during timing\n", who);
        std::exit(1);
      }
    }
    ++passes;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < seconds);
  std::printf("  %-9s %-9s %4ld passes  %8.1f MB/s  %11.0f records/s  %7.2f ms per page\n",
              set.name.c_str(), who, passes, set.bytes * passes / elapsed / 1e6,
              set.records * passes / elapsed,
              elapsed * 1e3 / (static_cast<double>(passes) * set.bodies.size()));
}

void measure(const PageSet& set, double seconds) {
  const salesforce::QueryPageParser ours(set.columns);
  const SimdPageParser simd(set.columns);
  od::parser parser;
  timed("ours", set, seconds,
        [&](const std::string& body, salesforce::RecordPage& page, std::string& next) {
          return ours.parse(body, page, next).ok();
        });
  timed("simdjson", set, seconds,
        [&](const std::string& body, salesforce::RecordPage& page, std::string& next) {
          return simd.parse(parser, body, page, next);
        });
}

}  // namespace

int main(int argc, char** argv) {
  long accounts = 20000, contacts = 20000;
  double seconds = 2;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--accounts=", 0) == 0) {
      accounts = std::atol(arg.c_str() + 11);
    } else if (arg.rfind("--contacts=", 0) == 0) {
      contacts = std::atol(arg.c_str() + 11);
    } else if (arg.rfind("--seconds=", 0) == 0) {
      seconds = std::atof(arg.c_str() + 10);
    } else {
      std::fprintf(stderr, "json_bench: unknown option %s (see the file header)\n", arg.c_str());
      return 2;
    }
  }
  bench::SimProcess sim({"--no-org", "--port=0", "--generate-accounts=" + std::to_string(accounts),
                         "--generate-contacts=" + std::to_string(contacts)});
  std::vector<PageSet> sets;
  sets.push_back(fetch("accounts", sim.url(), bench::companyJob10(), {}));
  sets.push_back(fetch("contacts", sim.url(), bench::shippedJob("company_person_sync.json"),
                       {"Account.Name", "Account.Industry", "ReportsTo.Email"}));
  std::printf("json_bench: simdjson %s, implementation %s\n", SFSYNC_STR(SIMDJSON_VERSION),
              simdjson::get_active_implementation()->name().c_str());
  for (PageSet& set : sets) {
    if (!agree(set)) return 1;
    std::printf("  %-9s %zu pages, %.1f MB, %lld records, %zu columns\n", set.name.c_str(),
                set.bodies.size(), set.bytes / 1e6, set.records, set.columns.size());
  }
  for (const PageSet& set : sets) measure(set, seconds);
  return 0;
}
