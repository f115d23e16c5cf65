// RecordGenerator: deterministic synthetic records for volume tests: Accounts (Name,
// NumberOfEmployees, Industry, Type, AnnualRevenue, Phone, Website, BillingCity, BillingCountry,
// OwnerId, Legacy_Employee_Count__c, CurrencyIsoCode, CreatedDate, LastModifiedDate,
// SystemModstamp) and Contacts spread round-robin over the existing Accounts (AccountId, FirstName,
// LastName, Name, Email, Title, Phone, MailingCountry, ReportsToId = the previous contact of the
// same account). Ids use the "Gn" pod so they never collide with the sample org; SystemModstamp
// advances one second per four records, so groups of records share a stamp (as in real orgs).
//
// Thread-safety: none; the caller holds the org's write lock.
#pragma once

#include <cstddef>

#include "salesforce_sim/OrgData.h"

namespace sfsync::sim {

class RecordGenerator {
 public:
  // Each call continues the previous one's numbering. Throws std::invalid_argument when the org
  // has no Account (or Contact) object. `duplicateEmailEvery` N > 0: every Nth Contact of the call
  // takes the Email of the Contact generated just before it (a repeated key within one page).
  static void generateAccounts(OrgData& org, std::size_t n);
  static void generateContacts(OrgData& org, std::size_t n, std::size_t duplicateEmailEvery = 0);
};

}  // namespace sfsync::sim
