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
