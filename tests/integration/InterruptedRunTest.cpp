// Runs left unfinished by a dead process, with the real sfsyncd binary: a live foreground
// `--run-job` holds the configuration's lock, so another --run-job or a serve start is refused and
// its Running row is left alone; once it is killed (kill -9 or SIGTERM) the next start of any kind
// marks its row Failed "interrupted".
//
// The live run is held by a server that accepts the connection and never answers (the run waits
// inside its first Salesforce request, with a long timeout), so no timing decides the outcome.
#include <gtest/gtest.h>

#include <Poco/File.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <sys/wait.h>

#include <chrono>
#include <functional>
#include <optional>
#include <thread>

#include "fakes/Subprocess.h"
#include "fakes/TempDir.h"
#include "sfsync/store/Store.h"

namespace sfsync {
namespace {

using testing::runProcess;
using testing::TempDir;

constexpr auto kDeadline = std::chrono::seconds(60);

// Polls `condition` until it holds or kDeadline passes.
bool waitFor(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + kDeadline;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

class InterruptedRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Accepts connections (the kernel completes them into the backlog) and never answers.
    silent_.bind(Poco::Net::SocketAddress("127.0.0.1", 0), true);
    silent_.listen(16);
    dir_.write("conf/sfsync.properties",
               "store.path = var/test.db\n"
               "admin.port = 0\n"
               "paths.jobs = jobs\npaths.chains = chains\npaths.errors = var/errors\n"
               "log.file = var/log/sfsyncd.log\n"
               "connections = sample\n"
               "connection.sample.orgType = custom\n"
               "connection.sample.customDomainUrl = http://127.0.0.1:" +
                   std::to_string(silent_.address().port()) +
                   "\n"
                   "connection.sample.timeoutMs = 600000\n"
                   "connection.sample.credentialsFile = conf/sample.credentials\n");
    dir_.write("conf/sample.credentials",
               testing::readFile(std::string(SFSYNC_SOURCE_DIR) + "/conf/sample.credentials"));
    dir_.write("jobs/accounts.json", R"({
      "name": "Accounts", "connection": "sample", "source": {"object": "Account"},
      "target": {"object": "Company"},
      "mappings": [{"source": "Id", "target": "SfdcAccountId", "upsertKey": true},
                   {"source": "Name", "target": "Name"}]})");
    Poco::File(dir_.file("chains")).createDirectories();
  }

  void TearDown() override {
    if (live_) {
      Poco::Process::kill(*live_);
      live_->wait();
    }
  }

  // Starts `sfsyncd --run-job=Accounts`, which hangs in its first request; returns once its row
  // says Running, with that row's id.
  std::string startLiveRun() {
    live_ = Poco::Process::launch(SFSYNCD_PATH, {"--run-job=Accounts"}, dir_.path(), nullptr,
                                  nullptr, nullptr);
    std::string id;
    EXPECT_TRUE(waitFor([&] {
      std::optional<store::ExecutionRecord> row = onlyRow();
      if (row && row->status == "Running") id = row->executionId;
      return !id.empty();
    })) << "the foreground run never recorded its Running row";
    return id;
  }

  // A start that fails fast (nothing listens on port 1) after doing its start-up bookkeeping.
  void startAnotherRun() {
    auto other = runProcess(
        SFSYNCD_PATH,
        {"--run-job=Accounts", "--define=connection.sample.customDomainUrl=http://127.0.0.1:1",
         "--define=connection.sample.maxRetries=0"},
        dir_.path());
    EXPECT_EQ(other.exitCode, 1) << other.out << other.err;
  }

  // A serve start while the live run holds the lock: exits 1 naming the run (one that serves
  // instead is killed after the deadline, and the test fails).
  void expectServeRefused() {
    Poco::Pipe errPipe;
    Poco::ProcessHandle daemon =
        Poco::Process::launch(SFSYNCD_PATH, {}, dir_.path(), nullptr, nullptr, &errPipe);
    int status = 0;
    const bool exited =
        waitFor([&] { return ::waitpid(daemon.id(), &status, WNOHANG) == daemon.id(); });
    if (!exited) {
      Poco::Process::kill(daemon);
      ::waitpid(daemon.id(), &status, 0);
    }
    std::string err;
    Poco::PipeInputStream errStream(errPipe);
    Poco::StreamCopier::copyToString(errStream, err);
    EXPECT_TRUE(exited && WIFEXITED(status) && WEXITSTATUS(status) == 1) << err;
    EXPECT_NE(err.find("is running --run-job=Accounts on this configuration"), std::string::npos)
        << err;
  }

  std::vector<store::ExecutionRecord> rows() {
    auto store = store::openSqliteStore(dir_.file("var/test.db"));
    if (!store.ok()) return {};
    auto listed = (*store)->listExecutions(store::ExecutionQuery{});
    return listed.ok() ? *listed : std::vector<store::ExecutionRecord>{};
  }

  std::optional<store::ExecutionRecord> onlyRow() {
    if (!Poco::File(dir_.file("var/test.db")).exists()) return std::nullopt;
    std::vector<store::ExecutionRecord> all = rows();
    if (all.empty()) return std::nullopt;
    return all.back();  // the oldest: the first run
  }

  std::optional<store::ExecutionRecord> row(const std::string& id) {
    for (const auto& r : rows()) {
      if (r.executionId == id) return r;
    }
    return std::nullopt;
  }

  Poco::Net::ServerSocket silent_;
  TempDir dir_;
  std::optional<Poco::ProcessHandle> live_;
};

TEST_F(InterruptedRunTest, OtherStartsLeaveALiveForegroundRunAloneAndMarkItOnceKilled) {
  const std::string id = startLiveRun();
  ASSERT_FALSE(id.empty());

  startAnotherRun();  // refused: the live run holds the lock
  EXPECT_EQ(row(id)->status, "Running") << "a --run-job start marked a live run";
  EXPECT_EQ(rows().size(), 1u) << "a second run of the job started beside the live one";
  expectServeRefused();
  EXPECT_EQ(row(id)->status, "Running") << "a serve start marked a live run";

  Poco::Process::kill(*live_);  // SIGKILL: the process cannot clean up
  live_->wait();
  live_.reset();
  EXPECT_EQ(row(id)->status, "Running");  // nothing marks it until a start looks

  startAnotherRun();
  std::optional<store::ExecutionRecord> marked = row(id);
  ASSERT_TRUE(marked);
  EXPECT_EQ(marked->status, "Failed");
  EXPECT_EQ(marked->message.rfind("interrupted", 0), 0u) << marked->message;
  EXPECT_FALSE(marked->endTime.empty());
}

TEST_F(InterruptedRunTest, ARunStoppedWithSigtermIsFailedByTheNextForegroundStart) {
  const std::string id = startLiveRun();
  ASSERT_FALSE(id.empty());

  Poco::Process::requestTermination(live_->id());  // SIGTERM
  live_->wait();
  live_.reset();
  startAnotherRun();  // not only serve: any start that runs jobs

  std::optional<store::ExecutionRecord> marked = row(id);
  ASSERT_TRUE(marked);
  EXPECT_EQ(marked->status, "Failed") << marked->message;
  EXPECT_FALSE(marked->endTime.empty());
}

}  // namespace
}  // namespace sfsync
