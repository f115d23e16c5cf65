// sfsyncd --version and one serving daemon per configuration (app/InstanceLock.h): the real binary
// started twice on one configuration, one-shot modes beside a serving daemon, and the lock itself.
#include <gtest/gtest.h>

#include <Poco/File.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <sys/wait.h>

#include <fstream>
#include <regex>
#include <string>

#include "app/DaemonTestSupport.h"
#include "app/InstanceLock.h"
#include "app/Version.h"
#include "fakes/Subprocess.h"
#include "fakes/TempDir.h"

namespace sfsync {
namespace {

using testing::runProcess;
using testing::TempDir;

// A configuration tree in `dir`: admin.port = 0 (any), the shipped jobs and chains, a Salesforce
// nobody answers (nothing here runs a job).
void writeConfig(const TempDir& dir) {
  const std::string source = SFSYNC_SOURCE_DIR;
  dir.write("conf/sfsync.properties",
            "store.path = var/test.db\nadmin.port = 0\n"
            "paths.jobs = jobs\npaths.chains = chains\npaths.errors = var/errors\n"
            "log.file = var/log/sfsyncd.log\nconnections = sample\n"
            "connection.sample.orgType = custom\n"
            "connection.sample.customDomainUrl = http://127.0.0.1:9\n"
            "connection.sample.credentialsFile = conf/sample.credentials\n");
  dir.write("conf/sample.credentials", testing::readFile(source + "/conf/sample.credentials"));
  for (const char* folder : {"jobs", "chains"}) {
    std::vector<std::string> files;
    Poco::File(source + "/" + folder).list(files);
    for (const auto& file : files) {
      const std::string relative = std::string(folder) + "/" + file;
      dir.write(relative, testing::readFile(source + "/" + relative));
    }
  }
}

// The version in the top CMakeLists.txt's project() call.
std::string cmakeProjectVersion() {
  const std::string text = testing::readFile(std::string(SFSYNC_SOURCE_DIR) + "/CMakeLists.txt");
  std::smatch match;
  if (!std::regex_search(text, match, std::regex(R"(project\(sfsync VERSION ([0-9.]+))")))
    return "";
  return match[1];
}

// Starts a serving sfsyncd in `dir` and waits (30 s at most) for it to exit: exit code and stderr.
// One that keeps serving is killed and reported with exit code -1, so the test fails, not hangs.
testing::ProcessResult startAndWait(const TempDir& dir) {
  Poco::Pipe errPipe;
  Poco::ProcessHandle process = Poco::Process::launch(SFSYNCD_PATH, Poco::Process::Args{},
                                                      dir.path(), nullptr, nullptr, &errPipe);
  testing::ProcessResult result;
  int status = 0;
  const bool exited =
      testing::waitUntil([&] { return ::waitpid(process.id(), &status, WNOHANG) == process.id(); });
  if (!exited) {
    Poco::Process::kill(process);
    ::waitpid(process.id(), &status, 0);
  }
  result.exitCode = exited && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  Poco::PipeInputStream err(errPipe);
  Poco::StreamCopier::copyToString(err, result.err);
  return result;
}

TEST(InstanceLockTest, VersionPrintsTheCMakeProjectVersionAndExitsZero) {
  const std::string expected = cmakeProjectVersion();
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(app::projectVersion(), expected);

  TempDir dir;  // no configuration anywhere: --version loads nothing
  auto result = runProcess(SFSYNCD_PATH, {"--version"}, dir.path());

  EXPECT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(result.out, "sfsyncd " + app::versionString() + "\n");
  EXPECT_EQ(result.out.rfind("sfsyncd " + expected, 0), 0u) << result.out;
  EXPECT_TRUE(result.err.empty()) << result.err;
}

TEST(InstanceLockTest, SecondAcquireOfOneStoreNamesTheFileAndThePid) {
  TempDir dir;
  const std::string store = dir.file("sfsync.db");
  auto first = app::InstanceLock::acquire(store);
  ASSERT_TRUE(first.ok()) << first.status().toString();
  const std::string pid = std::to_string(Poco::Process::id());
  EXPECT_EQ(testing::readFile(store + ".daemon.lock"), pid + "\nserving\n");

  auto second = app::InstanceLock::acquire(store);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(second.status().message(), "another sfsyncd (pid " + pid +
                                           ") is serving this configuration: lock file " + store +
                                           ".daemon.lock is held; stop it first");
  EXPECT_TRUE(app::InstanceLock::acquire(dir.file("other.db")).ok());  // another store: free

  first->releaseAndRemove();
  EXPECT_FALSE(Poco::File(store + ".daemon.lock").exists());
  EXPECT_TRUE(app::InstanceLock::acquire(store).ok());
}

TEST(InstanceLockTest, AOneShotRunHoldsTheLockAndSaysWhatItRuns) {
  TempDir dir;
  const std::string store = dir.file("sfsync.db");
  auto run = app::InstanceLock::acquire(store, "running --run-job=Odd\nName");
  ASSERT_TRUE(run.ok()) << run.status().toString();
  const std::string pid = std::to_string(Poco::Process::id());
  EXPECT_EQ(testing::readFile(store + ".daemon.lock"), pid + "\nrunning --run-job=Odd Name\n");

  auto daemon = app::InstanceLock::acquire(store);  // a daemon starting meanwhile
  ASSERT_FALSE(daemon.ok());
  EXPECT_EQ(daemon.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(daemon.status().message(),
            "another sfsyncd (pid " + pid +
                ") is running --run-job=Odd Name on this configuration: lock file " + store +
                ".daemon.lock is held; wait for it to finish");
}

TEST(InstanceLockTest, SecondDaemonAndOneShotRunsOnOneConfigurationExitNonZeroOtherModesStillRun) {
  TempDir dir;
  writeConfig(dir);
  Poco::ProcessHandle daemon = Poco::Process::launch(SFSYNCD_PATH, Poco::Process::Args{},
                                                     dir.path(), nullptr, nullptr, nullptr);
  const int port = testing::waitForAdminPort(dir.file("var/log/sfsyncd.log"));
  ASSERT_NE(port, 0) << testing::readFile(dir.file("var/log/sfsyncd.log"));

  // admin.port = 0: the second daemon would bind another port; only the lock stops it.
  auto second = startAndWait(dir);
  EXPECT_EQ(second.exitCode, 1) << second.err;
  const std::string lockFile = dir.file("var/test.db.daemon.lock");
  EXPECT_NE(second.err.find("another sfsyncd (pid " + std::to_string(daemon.id()) +
                            ") is serving this configuration: lock file " + lockFile + " is held"),
            std::string::npos)
      << second.err;
  EXPECT_NE(testing::readFile(dir.file("var/log/sfsyncd.log")).find("lock file " + lockFile),
            std::string::npos);
  EXPECT_NE(testing::health(port).find("\"status\":\"ok\""), std::string::npos);

  // Modes that run no job do not take the daemon's lock.
  auto activity = runProcess(SFSYNCD_PATH, {"--activity=5"}, dir.path());
  EXPECT_EQ(activity.exitCode, 0) << activity.err;
  auto validate = runProcess(SFSYNCD_PATH, {"--validate"}, dir.path());
  EXPECT_EQ(validate.exitCode, 0) << validate.err;
  auto request = runProcess(SFSYNCD_PATH, {"--full-resync=Company Sync"}, dir.path());
  EXPECT_EQ(request.exitCode, 0) << request.err;
  // One-shot runs do: no job runs in two processes at once.
  auto run = runProcess(SFSYNCD_PATH, {"--run-job=Company Sync"}, dir.path());
  EXPECT_EQ(run.exitCode, 1) << run.err;
  EXPECT_NE(run.err.find("another sfsyncd (pid " + std::to_string(daemon.id()) +
                         ") is serving this configuration: lock file " + lockFile +
                         " is held; stop it first; ask the serving daemon instead: sfsyncd "
                         "--run-now=\"Company Sync\""),
            std::string::npos)
      << run.err;
  auto chain = runProcess(SFSYNCD_PATH, {"--run-chain=sfdc_company_person_sync"}, dir.path());
  EXPECT_EQ(chain.exitCode, 1) << chain.err;
  EXPECT_EQ(testing::readFile(lockFile), std::to_string(daemon.id()) + "\nserving\n");

  Poco::Process::requestTermination(daemon.id());
  EXPECT_EQ(daemon.wait(), 0);
  EXPECT_FALSE(Poco::File(lockFile).exists());  // a clean stop removes it
}

TEST(InstanceLockTest, ALockLeftByAKilledDaemonDoesNotBlockTheNextStart) {
  TempDir dir;
  writeConfig(dir);
  const std::string log = dir.file("var/log/sfsyncd.log");
  Poco::ProcessHandle killed = Poco::Process::launch(SFSYNCD_PATH, Poco::Process::Args{},
                                                     dir.path(), nullptr, nullptr, nullptr);
  ASSERT_NE(testing::waitForAdminPort(log), 0) << testing::readFile(log);
  Poco::Process::kill(killed);  // SIGKILL: no cleanup, the lock file stays
  killed.wait();
  ASSERT_TRUE(Poco::File(dir.file("var/test.db.daemon.lock")).exists());
  Poco::File(log).remove();

  Poco::ProcessHandle next = Poco::Process::launch(SFSYNCD_PATH, Poco::Process::Args{}, dir.path(),
                                                   nullptr, nullptr, nullptr);
  const int port = testing::waitForAdminPort(log);
  ASSERT_NE(port, 0) << testing::readFile(log);
  EXPECT_EQ(testing::readFile(dir.file("var/test.db.daemon.lock")),
            std::to_string(next.id()) + "\nserving\n");
  Poco::Process::requestTermination(next.id());
  EXPECT_EQ(next.wait(), 0);
}

}  // namespace
}  // namespace sfsync
