// Test support for the Snowflake tests: one fixed RSA key pair (a test key, used nowhere else) with
// the fingerprint the openssl CLI computes for it (`openssl rsa -pubout -outform DER | openssl dgst
// -sha256 -binary | base64`), and settings that reach a running SnowflakeSim.
//
// Thread-safety: pure functions / constants.
#pragma once

#include <string>

#include "sfsync/snowflake/SnowflakeSettings.h"
#include "snowflake_sim/SnowflakeSim.h"

namespace sfsync::testing {

inline const char* kSnowPrivateKeyPem = R"PEM(-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCZcKoOwjrRWTXS
7jM/OU0aIiD6OaI3rGQydkFFai9cP15md7FUszsteXLX1RFwq8BhTOhVqFFOihFR
1QQ4MqgS7fMtT5cQ4YOF1pp+6S2uLv5laNgZO7jNcVOZKwCWX9DJwi5bNlM9g8ru
HI55frJMnQK+6jJsGCRXwUker9K/cYBKzqqW0ikCm+/4/JPXBA8Bn2YiL/i49pX2
czxVCTAenKryr9A8/1WVOyGgSmWUttPxa4BEM3J/ZZgcublG691npte/pYKFEXk6
GRicUMNo3pyuhSf8q7dSaHYGKXzq9mnEuOZ4IVEYkkK1HeiWP3g62Diw/lMfidP/
6ekJosYnAgMBAAECggEAFV5qYInONS+OXmTMAEcTpMsR+qciH0zD2386kdc650bv
96c9rAUV/bxHMSW8OwvATAyw4pUBVcXGqbXX05fCbnhzAGFwMWqmrXH4rCn/MZ3b
0fWq+sCleP8KXG9vsoF/i0meuRc0uoFrNoQFl4f8fszy//GPuhwWm54Qd9SWrhCC
MOu/s7V20TeG9wt0ffW7PFHMvKeiSxp61DlM56y02f3P4t49YNx47lLS3trAnXQf
derO6gam5Y3Iha1eANzUF012iGOBna2Oq4PR3v6b77wnh8uaHkpMLDlWy/N4nX2h
DPGKFqTtPtf4oN71u4Uc3tmhS5Q4vL2CYdEIeTib0QKBgQDT2EQs3SzBSLtQtNVj
jSDRMDGex52th3f8aR8Ul1FmbcR/4GPnSUDjBZenOkqwawXyzqGJYEbflPpabzNW
llo9Jv7ZygHRoyndDfOKR1So6SjK2Qgdb8qdzDey4+I+uk0Kkr11XJYSgxZtX4tN
uGoVelx9rmoVD2fP4167MydnaQKBgQC5bAHgcY5yVmEUb/s4qd0mQXtv1ErMltAG
5N1r9MKgv40kPI/y9nDXvQAIgHzDbxAF2bbzwOdNi633blzMXt4sCxiHHx9NG7VH
8LnWnli42hSWrkXQ23W+mph1H1qNdOWpSKEDGHx3RtRJGHAsHfUDf+3pl8+5iMNg
YeV1op4fDwKBgQCDHHltTuHxKkOMOq9K8sCZ13sOazsCeDJhjOoIg3KEs3EHN+h8
79Bx8Tcf76rkLwi6cvp1HJogrIKZz/L1Jw7ohCb8wdKIXbR+NLFDJsyV0eBGUzZ7
iYHcUdUzKWkQK5uc7J7HcSsMgAc0YArGall1u4pc2sKbEDLO7kjmEU3U6QKBgGfE
LfixFAqglIufb3Pye7ShCLc4kvOToq94/QEhZJoZGJ+i1NwfVl8lghM/9JJaYRkl
EeGvnsIi3SSPOpeUr7juLLfRju7UBstPyHB3BSfNw5/fv2p2ppoYYiGJfl+Tf8MQ
xiq5VU5a8QpHBt9plGh0+2uybaljBBO4NXVzoBG5AoGAUoOJ0uGbPgbA/XCECcrw
NNLcwWf4RCDCzkoZlWfiBRNytJWJc84n8MOsTX4mQ4jHEelgyp+QOGt2jbKq1vrN
gJAjvzppWSifS4589c/cX+GudYGuvRtvMPx3PTEEyjzL0tVcZKMP3H/AJ7w2SrGH
D5jvMziKcKU1d9tIWuws7aE=
-----END PRIVATE KEY-----
)PEM";

inline const char* kSnowPublicKeyPem = R"PEM(-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAmXCqDsI60Vk10u4zPzlN
GiIg+jmiN6xkMnZBRWovXD9eZnexVLM7LXly19URcKvAYUzoVahRTooRUdUEODKo
Eu3zLU+XEOGDhdaafuktri7+ZWjYGTu4zXFTmSsAll/QycIuWzZTPYPK7hyOeX6y
TJ0CvuoybBgkV8FJHq/Sv3GASs6qltIpApvv+PyT1wQPAZ9mIi/4uPaV9nM8VQkw
Hpyq8q/QPP9VlTshoEpllLbT8WuARDNyf2WYHLm5RuvdZ6bXv6WChRF5OhkYnFDD
aN6croUn/Ku3Umh2Bil86vZpxLjmeCFRGJJCtR3olj94Otg4sP5TH4nT/+npCaLG
JwIDAQAB
-----END PUBLIC KEY-----
)PEM";

// What `openssl ... | openssl dgst -sha256 -binary | base64` printed for kSnowPublicKeyPem.
inline const char* kSnowFingerprint = "SHA256:B7WMDl6svKAN1axrxyQHpBX/puaSlogG7BuRiyi8N8A=";

inline snowflake::SnowflakeSettings snowSettings(const snowsim::SnowflakeSim& sim,
                                                 const std::string& keyFile) {
  snowflake::SnowflakeSettings s;
  s.name = "warehouse";
  s.accountUrl = sim.baseUrl();
  s.account = "simaccount";
  s.user = "sfsync";
  s.warehouse = "WH";
  s.database = "DB";
  s.schema = "PUBLIC";
  s.role = "SFSYNC_ROLE";
  s.privateKeyFile = keyFile;
  s.pollInterval = std::chrono::milliseconds(100);
  return s;
}

}  // namespace sfsync::testing
