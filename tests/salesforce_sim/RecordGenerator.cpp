#include "salesforce_sim/RecordGenerator.h"

#include <stdexcept>

#include "salesforce_sim/SimTime.h"

namespace sfsync::sim {
namespace {

const char* const kAdjectives[] = {
    "Blue",      "Northern", "Summit",  "Granite", "Silver", "Harbor",  "Pioneer", "Crescent",
    "Evergreen", "Atlas",    "Redwood", "Coastal", "Vertex", "Liberty", "Golden",  "Prairie"};
const char* const kNouns[] = {
    "Logistics", "Analytics", "Foods",  "Energy",     "Textiles", "Robotics", "Health", "Capital",
    "Media",     "Networks",  "Pharma", "Outfitters", "Builders", "Systems",  "Marine", "Labs"};
const char* const kSuffixes[] = {"Inc.", "Ltd", "GmbH", "LLC", "S.A.", "plc"};
const char* const kIndustries[] = {
    "Agriculture",  "Apparel",   "Banking",       "Biotechnology", "Chemicals",   "Communications",
    "Construction", "Education", "Electronics",   "Energy",        "Engineering", "Finance",
    "Healthcare",   "Insurance", "Manufacturing", "Retail",        "Technology",  "Transportation"};
const char* const kTypes[] = {"Customer - Direct", "Customer - Channel", "Prospect", "Partner",
                              "Other"};
const char* const kCities[][2] = {{"San Francisco", "United States"},
                                  {"New York", "United States"},
                                  {"London", "United Kingdom"},
                                  {"Berlin", "Germany"},
                                  {"Paris", "France"},
                                  {"Toronto", "Canada"},
                                  {"Sydney", "Australia"},
                                  {"Tokyo", "Japan"},
                                  {"Sao Paulo", "Brazil"},
                                  {"Madrid", "Spain"}};
const char* const kCurrencies[] = {"USD", "USD", "EUR", "GBP"};
const char* const kFirstNames[] = {"Olivia", "Liam",  "Emma",   "Noah",  "Ava",    "Mateo",
                                   "Sophia", "Lucas", "Amelia", "Ethan", "Yuki",   "Priya",
                                   "Chloe",  "Omar",  "Ingrid", "Diego", "Fatima", "Hannah"};
const char* const kLastNames[] = {"Smith", "Garcia",   "Müller",   "Johnson", "Tanaka", "Brown",
                                  "Rossi", "Dubois",   "Kowalski", "Nguyen",  "Silva",  "O'Brien",
                                  "Patel", "Andersen", "Kim",      "Martin",  "Lopez",  "Wright"};
const char* const kTitles[] = {"CEO",         "CFO",   "VP Sales",        "Procurement Manager",
                               "IT Director", "Buyer", "Operations Lead", "Account Payable Clerk"};

template <typename T, std::size_t N>
const T& pick(const T (&list)[N], std::uint64_t h) {
  return list[h % N];
}

// SplitMix64: a deterministic, well-mixed hash of the record serial.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

class Setter {
 public:
  Setter(const ObjectSchema& s, std::vector<SimValue>& v) : schema_(s), values_(v) {}
  void operator()(const char* field, SimValue value) {
    const int k = schema_.fieldIndex(field);
    if (k >= 0) values_[static_cast<std::size_t>(k)] = std::move(value);
  }

 private:
  const ObjectSchema& schema_;
  std::vector<SimValue>& values_;
};

std::string slug(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c >= 'A' && c <= 'Z')
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
      out.push_back(c);
  }
  return out;
}

std::string asciiLower(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c >= 'A' && c <= 'Z')
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    else if (c >= 'a' && c <= 'z')
      out.push_back(c);
  }
  return out;
}

const std::int64_t kCreatedBase = SimTime::daysFromCivil(2024, 1, 1) * 86400000LL;
const std::int64_t kModifiedBase = SimTime::daysFromCivil(2025, 1, 1) * 86400000LL;

void stamps(Setter& set, std::uint64_t serial) {
  set("CreatedDate", SimValue::dateTime(kCreatedBase + static_cast<std::int64_t>(serial) * 60000));
  const std::int64_t modified = kModifiedBase + static_cast<std::int64_t>(serial / 4) * 1000;
  set("LastModifiedDate", SimValue::dateTime(modified));
  set("SystemModstamp", SimValue::dateTime(modified));
  set("IsDeleted", SimValue::boolean(false));
}

}  // namespace

void RecordGenerator::generateAccounts(OrgData& org, std::size_t n) {
  RecordTable* table = org.table("Account");
  if (!table) throw std::invalid_argument("the org has no Account object");
  const ObjectSchema& schema = table->schema();
  std::vector<std::string> owners;
  if (const RecordTable* users = org.table("User")) {
    const int active = users->schema().fieldIndex("IsActive");
    for (const RowPtr& u : users->rows()) {
      const CellView a = u->at(static_cast<std::size_t>(active));
      if (active < 0 || (a.kind == ValueKind::Bool && a.b)) {
        owners.emplace_back(u->at(static_cast<std::size_t>(users->schema().idField())).s);
      }
    }
  }
  table->reserve(table->rows().size() + n);
  for (std::size_t k = 0; k < n; ++k) {
    std::vector<SimValue> values(schema.fields().size());
    Setter set(schema, values);
    const std::string id = org.newId(*table, "Gn");
    const std::uint64_t serial = table->rows().size() + 1;
    const std::uint64_t h = mix(serial);
    set("Id", SimValue::string(id));
    const std::string name = std::string(pick(kAdjectives, h)) + " " + pick(kNouns, h >> 8) + " " +
                             std::to_string(serial) + " " + pick(kSuffixes, h >> 16);
    set("Name", SimValue::string(name));
    const std::int64_t employees = static_cast<std::int64_t>((h >> 20) % 50000) + 1;
    set("NumberOfEmployees", SimValue::integer(employees));
    set("Legacy_Employee_Count__c", SimValue::string(std::to_string(employees)));
    set("Industry", SimValue::string(pick(kIndustries, h >> 24)));
    set("Type", SimValue::string(pick(kTypes, h >> 28)));
    set("AnnualRevenue", SimValue::number(static_cast<double>((h >> 32) % 500000) * 1000.0 +
                                          ((h >> 40) % 4) * 0.25));
    char phone[32];
    std::snprintf(phone, sizeof phone, "(555) %03u-%04u", static_cast<unsigned>((h >> 12) % 1000),
                  static_cast<unsigned>((h >> 44) % 10000));
    set("Phone", SimValue::string(phone));
    set("Website", SimValue::string("www." + slug(name) + ".example.com"));
    const auto& city = pick(kCities, h >> 48);
    set("BillingCity", SimValue::string(city[0]));
    set("BillingCountry", SimValue::string(city[1]));
    if (!owners.empty()) set("OwnerId", SimValue::string(owners[serial % owners.size()]));
    set("CurrencyIsoCode", SimValue::string(pick(kCurrencies, h >> 52)));
    stamps(set, serial);
    table->upsert(std::make_shared<const Row>(values));
  }
}

void RecordGenerator::generateContacts(OrgData& org, std::size_t n,
                                       std::size_t duplicateEmailEvery) {
  RecordTable* table = org.table("Contact");
  if (!table) throw std::invalid_argument("the org has no Contact object");
  const ObjectSchema& schema = table->schema();
  std::vector<std::string> accounts;
  std::vector<std::string> countries;
  if (const RecordTable* acc = org.table("Account")) {
    const int deleted = acc->schema().isDeletedField();
    const int country = acc->schema().fieldIndex("BillingCountry");
    for (const RowPtr& a : acc->rows()) {
      const CellView d = a->at(static_cast<std::size_t>(deleted));
      if (deleted >= 0 && d.kind == ValueKind::Bool && d.b) continue;
      accounts.emplace_back(a->at(static_cast<std::size_t>(acc->schema().idField())).s);
      countries.emplace_back(country >= 0 ? a->at(static_cast<std::size_t>(country)).s : "");
    }
  }
  std::vector<std::string> generated;  // this call's contact Ids, for ReportsToId
  std::string email;                   // the previous contact's
  generated.reserve(n);
  table->reserve(table->rows().size() + n);
  for (std::size_t k = 0; k < n; ++k) {
    std::vector<SimValue> values(schema.fields().size());
    Setter set(schema, values);
    const std::string id = org.newId(*table, "Gn");
    const std::uint64_t serial = table->rows().size() + 1;
    const std::uint64_t h = mix(serial ^ 0x5bd1e995ULL);
    set("Id", SimValue::string(id));
    const std::string first = pick(kFirstNames, h);
    const std::string last = pick(kLastNames, h >> 8);
    set("FirstName", SimValue::string(first));
    set("LastName", SimValue::string(last));
    set("Name", SimValue::string(first + " " + last));
    const bool repeat = duplicateEmailEvery > 0 && k > 0 && k % duplicateEmailEvery == 0;
    if (!repeat)
      email = asciiLower(first) + "." + asciiLower(last) + "." + std::to_string(serial) +
              "@example.com";
    set("Email", SimValue::string(email));
    set("Title", SimValue::string(pick(kTitles, h >> 16)));
    char phone[32];
    std::snprintf(phone, sizeof phone, "+1 555 %03u %04u", static_cast<unsigned>((h >> 24) % 1000),
                  static_cast<unsigned>((h >> 36) % 10000));
    set("Phone", SimValue::string(phone));
    if (!accounts.empty()) {
      const std::size_t a = k % accounts.size();
      set("AccountId", SimValue::string(accounts[a]));
      if (!countries[a].empty()) set("MailingCountry", SimValue::string(countries[a]));
      if (k >= accounts.size())
        set("ReportsToId", SimValue::string(generated[k - accounts.size()]));
    }
    stamps(set, serial);
    generated.push_back(id);
    table->upsert(std::make_shared<const Row>(values));
  }
}

}  // namespace sfsync::sim
