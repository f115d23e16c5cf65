// Every multiple-match x no-match policy combination against 0, 1 and 2 matches, plus null source
// values and self-lookup deferral.
#include <gtest/gtest.h>

#include <map>

#include "sfsync/mapping/LookupResolver.h"

namespace sfsync::mapping {
namespace {

using config::MultipleMatchPolicy;
using config::NoMatchPolicy;
using Kind = LookupOutcome::Kind;

const std::vector<std::string> kColumns = {"Id", "OwnerEmail", "AccountName"};

// What the store's lookup answers (Store::lookupGsids): gsids per key text, ascending.
using Matches = std::map<std::string, std::vector<std::string>>;

Matches index() { return {{"one@x.com", {"g-1"}}, {"two@x.com", {"g-2", "g-3"}}}; }

// resolve() as the page processor calls it: key(), then the store's matches for that key.
LookupOutcome resolveIn(const LookupResolver& resolver, const std::vector<Value>& row,
                        const Matches& matches, bool final) {
  store::Row key;
  if (!resolver.key(row, key)) return resolver.resolve(row, nullptr, final);
  std::string text;
  for (const Value& v : key) text += (text.empty() ? "" : "|") + valueToText(v);
  static const std::vector<std::string> kNone;
  auto found = matches.find(text);
  return resolver.resolve(row, found == matches.end() ? &kNone : &found->second, final);
}

config::DerivedMappingConfig derived(MultipleMatchPolicy multiple, NoMatchPolicy none,
                                     const std::string& lookup = "User") {
  config::DerivedMappingConfig d;
  d.target = "AssigneeId";
  d.lookupObject = lookup;
  d.match = {{"OwnerEmail", "Email"}};
  d.onMultipleMatches = multiple;
  d.onNoMatch = none;
  d.defaultValue = Value(std::string("g-default"));
  return d;
}

std::vector<Value> row(const Value& email) {
  return {Value(std::string("500A")), email, Value(std::string("Acme"))};
}

struct Case {
  MultipleMatchPolicy multiple;
  NoMatchPolicy none;
  Value email;
  Kind kind;
  Value value;
  std::string reason;
  std::vector<std::string> candidates;
};

TEST(LookupResolverTest, AppliesEveryPolicyCombination) {
  const Value one(std::string("one@x.com"));
  const Value two(std::string("two@x.com"));
  const Value none(std::string("nobody@x.com"));
  const Value null;
  const Value g1(std::string("g-1"));
  const Value g2(std::string("g-2"));
  const Value dflt(std::string("g-default"));
  const auto any = MultipleMatchPolicy::kUseAny;
  const auto err = MultipleMatchPolicy::kError;
  const auto toNull = NoMatchPolicy::kNull;
  const auto reject = NoMatchPolicy::kReject;
  const auto toDefault = NoMatchPolicy::kDefault;
  const std::string multi = "LOOKUP_MULTIPLE_MATCHES";
  const std::string nomatch = "LOOKUP_NO_MATCH";
  const Case cases[] = {
      // exactly one match: every policy resolves it
      {any, toNull, one, Kind::kResolved, g1, "", {}},
      {any, reject, one, Kind::kResolved, g1, "", {}},
      {any, toDefault, one, Kind::kResolved, g1, "", {}},
      {err, toNull, one, Kind::kResolved, g1, "", {}},
      {err, reject, one, Kind::kResolved, g1, "", {}},
      {err, toDefault, one, Kind::kResolved, g1, "", {}},
      // two matches: useAny takes the smallest gsid, error rejects with both candidates
      {any, toNull, two, Kind::kResolved, g2, "", {}},
      {any, reject, two, Kind::kResolved, g2, "", {}},
      {any, toDefault, two, Kind::kResolved, g2, "", {}},
      {err, toNull, two, Kind::kRejected, null, multi, {"g-2", "g-3"}},
      {err, reject, two, Kind::kRejected, null, multi, {"g-2", "g-3"}},
      {err, toDefault, two, Kind::kRejected, null, multi, {"g-2", "g-3"}},
      // no match
      {any, toNull, none, Kind::kResolved, null, "", {}},
      {any, reject, none, Kind::kRejected, null, nomatch, {}},
      {any, toDefault, none, Kind::kResolved, dflt, "", {}},
      {err, toNull, none, Kind::kResolved, null, "", {}},
      {err, reject, none, Kind::kRejected, null, nomatch, {}},
      {err, toDefault, none, Kind::kResolved, dflt, "", {}},
      // a null source value never matches: the no-match policy applies
      {any, toNull, null, Kind::kResolved, null, "", {}},
      {err, reject, null, Kind::kRejected, null, nomatch, {}},
      {err, toDefault, null, Kind::kResolved, dflt, "", {}},
  };
  const Matches idx = index();
  for (const Case& c : cases) {
    auto resolver = LookupResolver::create(derived(c.multiple, c.none), "Case", kColumns);
    ASSERT_TRUE(resolver.ok());
    LookupOutcome out = resolveIn(*resolver, row(c.email), idx, false);
    const std::string label = "email=" + valueToText(c.email) +
                              " multiple=" + std::to_string(static_cast<int>(c.multiple)) +
                              " none=" + std::to_string(static_cast<int>(c.none));
    EXPECT_EQ(out.kind, c.kind) << label;
    EXPECT_EQ(out.value, c.value) << label;
    EXPECT_EQ(out.reasonCode, c.reason) << label;
    EXPECT_EQ(out.candidates, c.candidates) << label;
    if (c.kind == Kind::kRejected) {
      EXPECT_NE(out.message.find("AssigneeId"), std::string::npos) << out.message;
      EXPECT_NE(out.message.find("Email = "), std::string::npos) << out.message;
    }
  }
}

TEST(LookupResolverTest, SelfLookupMissIsDeferredUntilTheFinalPass) {
  auto resolver = LookupResolver::create(
      derived(MultipleMatchPolicy::kUseAny, NoMatchPolicy::kDefault, "case"), "Case", kColumns);
  ASSERT_TRUE(resolver.ok());
  EXPECT_TRUE(resolver->selfLookup());  // lookup object equals the target, case-insensitively
  Matches idx = index();
  const Value later(std::string("later@x.com"));

  EXPECT_EQ(resolveIn(*resolver, row(later), idx, false).kind, Kind::kDeferred);
  // A null reference is final at once: there is nothing to wait for.
  EXPECT_EQ(resolveIn(*resolver, row(Value{}), idx, false).kind, Kind::kResolved);

  idx["later@x.com"] = {"g-9"};  // the referenced record arrived later in the run
  LookupOutcome resolved = resolveIn(*resolver, row(later), idx, true);
  EXPECT_EQ(resolved.kind, Kind::kResolved);
  EXPECT_EQ(resolved.value, Value(std::string("g-9")));

  LookupOutcome missing = resolveIn(*resolver, row(Value(std::string("never@x.com"))), idx, true);
  EXPECT_EQ(missing.kind, Kind::kResolved);
  EXPECT_EQ(missing.value, Value(std::string("g-default")));
}

TEST(LookupResolverTest, CompositeMatchKeysAreAnded) {
  config::DerivedMappingConfig d = derived(MultipleMatchPolicy::kError, NoMatchPolicy::kReject);
  d.match = {{"OwnerEmail", "Email"}, {"AccountName", "Company"}};
  auto resolver = LookupResolver::create(d, "Case", kColumns);
  ASSERT_TRUE(resolver.ok());
  const Value email(std::string("one@x.com"));
  const Matches idx{{"one@x.com|Acme", {"g-7"}}};

  store::Row key;
  ASSERT_TRUE(resolver->key(row(email), key));  // match order: OwnerEmail, AccountName
  EXPECT_EQ(key, (store::Row{email, Value(std::string("Acme"))}));
  EXPECT_EQ(resolveIn(*resolver, row(email), idx, true).value, Value(std::string("g-7")));
  std::vector<Value> other = row(email);
  other[2] = Value(std::string("Globex"));
  EXPECT_EQ(resolveIn(*resolver, other, idx, true).reasonCode, "LOOKUP_NO_MATCH");
  other[2] = Value{};
  EXPECT_FALSE(resolver->key(other, key));  // a null in any match value: no key
}

TEST(LookupResolverTest, MatchSourceMustBeSelected) {
  config::DerivedMappingConfig d = derived(MultipleMatchPolicy::kError, NoMatchPolicy::kNull);
  d.match = {{"Missing__c", "Email"}};
  EXPECT_FALSE(LookupResolver::create(d, "Case", kColumns).ok());
}

}  // namespace
}  // namespace sfsync::mapping
