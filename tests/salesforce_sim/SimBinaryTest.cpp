// The sfsync-sim binary: started as a separate process, announces its URL on one stdout line,
// serves the org and exits 0 on SIGTERM.
#include <gtest/gtest.h>

#include <signal.h>

#include <fstream>

#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/TemporaryFile.h>

#include "salesforce_sim/SimHttpClient.h"

namespace sfsync::sim {
namespace {

struct Launched {
  Poco::ProcessHandle handle;
  std::string firstLine;
};

Launched launch(const std::vector<std::string>& args) {
  Poco::Pipe out;
  Poco::ProcessHandle handle = Poco::Process::launch(SFSYNC_SIM_PATH, args, nullptr, &out, nullptr);
  Poco::PipeInputStream in(out);
  std::string line;
  std::getline(in, line);
  return {handle, line};
}

TEST(SimBinaryTest, ServesAndStopsOnSigterm) {
  Poco::TemporaryFile portFile;
  Launched sim =
      launch({"--generate-accounts=25", "--batch-size=10", "--port-file=" + portFile.path()});
  const std::string prefix = "sfsync-sim listening on http://127.0.0.1:";
  ASSERT_EQ(sim.firstLine.rfind(prefix, 0), 0u) << sim.firstLine;
  const int port = std::stoi(sim.firstLine.substr(prefix.size()));
  std::ifstream portIn(portFile.path());
  int written = 0;
  portIn >> written;
  EXPECT_EQ(written, port);

  test::SimHttpClient http(static_cast<std::uint16_t>(port));
  const std::string token = http.loginToken();
  const test::HttpReply r =
      http.get(test::SimHttpClient::queryPath("SELECT Id FROM Account"), token);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.object()->getValue<int>("totalSize"), 35);
  EXPECT_EQ(r.object()->getArray("records")->size(), 10u);

  ::kill(sim.handle.id(), SIGTERM);
  EXPECT_EQ(sim.handle.wait(), 0);
}

TEST(SimBinaryTest, LatencyApiLimitAndBulkPollFlags) {
  Launched sim = launch({"--latency-ms=1", "--api-limit=6", "--bulk-polls-to-complete=0"});
  // Stops the child even when an assertion ends the test early (it shares our stderr).
  struct Stop {
    Poco::ProcessHandle& handle;
    bool done = false;
    ~Stop() {
      if (!done) ::kill(handle.id(), SIGKILL);
    }
  } stop{sim.handle};
  const std::string prefix = "sfsync-sim listening on http://127.0.0.1:";
  ASSERT_EQ(sim.firstLine.rfind(prefix, 0), 0u) << sim.firstLine;
  test::SimHttpClient http(
      static_cast<std::uint16_t>(std::stoi(sim.firstLine.substr(prefix.size()))));
  const std::string token = http.loginToken();
  const std::string jobs = "/services/data/v62.0/jobs/query";
  test::HttpReply r =
      http.send("POST", jobs, token, R"({"operation":"query","query":"SELECT Id FROM Account"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.limitInfo, "api-usage=1/6");
  const std::string id = r.object()->getValue<std::string>("id");
  r = http.send("GET", jobs + "/" + id + "/results", token);  // complete without a poll
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("Sforce-NumberOfRecords"), "10");
  // The binary can be driven through /sim/*: slower answers, more data.
  EXPECT_EQ(http.send("POST", "/sim/generate?accounts=3", "").status, 204);
  EXPECT_EQ(http.send("POST", "/sim/latency?ms=0", "").status, 204);
  r = http.get(test::SimHttpClient::queryPath("SELECT COUNT() FROM Account"), token);
  EXPECT_EQ(r.object()->getValue<int>("totalSize"), 13);
  for (int i = 0; i < 3; ++i) {
    r = http.get("/services/data/v62.0/limits", token);
    EXPECT_EQ(r.status, 200) << r.body;  // calls 4..6 of 6
  }
  r = http.get("/services/data/v62.0/limits", token);
  EXPECT_EQ(r.status, 403);  // the 7th call exceeds the allowance of 6
  EXPECT_EQ(r.errorCode(), "REQUEST_LIMIT_EXCEEDED");
  ::kill(sim.handle.id(), SIGTERM);
  EXPECT_EQ(sim.handle.wait(), 0);
  stop.done = true;
}

TEST(SimBinaryTest, OptionsAndErrors) {
  {
    Poco::Pipe out;
    Poco::ProcessHandle h =
        Poco::Process::launch(SFSYNC_SIM_PATH, {"--help"}, nullptr, &out, nullptr);
    Poco::PipeInputStream in(out);
    std::string line;
    std::getline(in, line);
    EXPECT_EQ(line.rfind("usage: sfsync-sim", 0), 0u);
    EXPECT_EQ(h.wait(), 0);
  }
  {
    Poco::Pipe err;
    Poco::ProcessHandle h =
        Poco::Process::launch(SFSYNC_SIM_PATH, {"--bogus"}, nullptr, nullptr, &err);
    Poco::PipeInputStream in(err);
    std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(all.find("unknown option --bogus"), std::string::npos);
    EXPECT_EQ(h.wait(), 2);
  }
  {
    Poco::Pipe err;
    Poco::ProcessHandle h = Poco::Process::launch(
        SFSYNC_SIM_PATH, {"--org-dir=/nonexistent-sim-org"}, nullptr, nullptr, &err);
    Poco::PipeInputStream in(err);
    std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(all.find("sfsync-sim:"), std::string::npos);
    EXPECT_EQ(h.wait(), 1);
  }
}

TEST(SimBinaryTest, NoOrgNoMultiCurrencyAndSigint) {
  Launched sim = launch({"--no-org", "--no-multi-currency"});
  const std::string prefix = "sfsync-sim listening on http://127.0.0.1:";
  ASSERT_EQ(sim.firstLine.rfind(prefix, 0), 0u) << sim.firstLine;
  test::SimHttpClient http(
      static_cast<std::uint16_t>(std::stoi(sim.firstLine.substr(prefix.size()))));
  const std::string token = http.loginToken();
  const test::HttpReply r =
      http.get(test::SimHttpClient::queryPath("SELECT COUNT() FROM Account"), token);
  EXPECT_EQ(r.body, R"({"totalSize":0,"done":true,"records":[]})");
  EXPECT_EQ(http.get("/services/data/v62.0/sobjects/CurrencyType/describe", token).status, 404);
  ::kill(sim.handle.id(), SIGINT);
  EXPECT_EQ(sim.handle.wait(), 0);
}

}  // namespace
}  // namespace sfsync::sim
