// EditorDemo: admin_demo_server's --editor mode (issue 17, tests/browser/editor.test.mjs): the REAL
// daemon runtime (DaemonRuntime + app::DefinitionEditor) over a temporary configuration - one
// connection to the in-process Salesforce simulator, the job "Companies" (Account -> Company) and
// the chain "Nightly" [Companies] - with the describes of Account, Contact and User in the
// metadata cache, so the page's editor validates, saves, reloads and runs jobs for real.
//
// Thread-safety: build and destroy on one thread; the server's workers use it meanwhile.
#pragma once

#include <memory>
#include <string>

#include "app/DaemonChecks.h"
#include "app/DaemonRuntime.h"
#include "app/DefinitionEditor.h"
#include "fakes/TempDir.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/activity/ConfigAuditor.h"
#include "sfsync/admin/AdminServer.h"
#include "sfsync/config/ConfigLoader.h"
#include "sfsync/jobs/MetadataCache.h"

namespace sfsync::admin::testing {

class EditorDemo {
 public:
  // Writes the configuration and caches the describes; errors as text.
  Status start() {
    sim_.start();
    dir_.write("conf/sfsync.properties",
               "store.path = var/demo.db\npaths.jobs = jobs\npaths.chains = chains\n"
               "paths.errors = var/errors\nconnections = sample\n"
               "connection.sample.orgType = custom\nconnection.sample.customDomainUrl = " +
                   sim_.baseUrl() +
                   "\nconnection.sample.credentialsFile = conf/sample.credentials\n");
    dir_.write("conf/sample.credentials", sfsync::testing::readFile(std::string(SFSYNC_SOURCE_DIR) +
                                                                    "/conf/sample.credentials"));
    dir_.write("jobs/companies.json", R"({
  "name": "Companies",
  "connection": "sample",
  "dependsOn": ["Users"],
  "source": {"object": "Account"},
  "target": {"object": "Company"},
  "mappings": [
    {"source": "Id", "target": "SfdcAccountId", "upsertKey": true},
    {"source": "Name", "target": "Name"}
  ]
}
)");
    dir_.write("jobs/users.json", R"({
  "name": "Users",
  "connection": "sample",
  "source": {"object": "User"},
  "target": {"object": "Person User"},
  "mappings": [{"source": "Id", "target": "SfdcUserId", "upsertKey": true}]
}
)");
    dir_.write("chains/nightly.json",
               "{\n  \"name\": \"Nightly\",\n  \"jobs\": [\"Users\", \"Companies\"]\n}\n");
    config_ = load({});
    if (!config_->problems.empty()) return Status::InvalidArgument(config_->problems[0].toString());
    Result<store::StorePtr> store = store::openSqliteStore(config_->app.storePath);
    if (!store.ok()) return store.status();
    store_ = std::move(*store);
    Result<std::vector<store::UpdateRecord>> audited =
        activity::ConfigAuditor::audit(*config_, *store_, *clock_);  // as the daemon's start
    if (!audited.ok()) return audited.status();
    auto client =
        salesforce::makeHttpClient(config_->app.findConnection("sample")->settings, clock_);
    jobs::MetadataCache cache(*store_, *clock_, "sample", 7);
    for (const char* object : {"Account", "Contact", "User"}) {
      Result<jobs::FetchedDescribe> fetched = cache.fetch(*client, object);
      if (!fetched.ok()) return fetched.status();
    }
    scheduling::Scheduler::Options options;
    runtime_ = std::make_unique<app::DaemonRuntime>(
        std::shared_ptr<const config::LoadedConfig>(config_), *store_, clock_,
        notify::NotificationSettings{}, options);
    runtime_->setConfigSource([this] {
      app::DaemonRuntime::LoadedSource source;
      source.config = load({});
      return source;
    });
    Status ready = runtime_->init();
    if (!ready.ok()) return ready;
    editor_ = std::make_unique<app::DefinitionEditor>(
        [this](const config::FileOverlay& overlay) { return load(overlay); },
        [this](const std::string& actor) { return runtime_->reloadEdited(actor); },
        [this] { return runtime_->currentConfig(); }, *store_, clock_);
    runtime_->start();
    return Status::OK();
  }

  void stop() {
    if (runtime_) runtime_->stop();
  }

  store::Store& store() { return *store_; }
  app::DaemonRuntime& runtime() { return *runtime_; }
  app::DefinitionEditor& editor() { return *editor_; }
  std::string jobsDir() const { return dir_.file("jobs"); }

 private:
  std::shared_ptr<config::LoadedConfig> load(const config::FileOverlay& overlay) {
    auto loaded = std::make_shared<config::LoadedConfig>(
        config::loadConfig("conf/sfsync.properties", dir_.path(), {}, overlay));
    notify::NotificationSettings notifications;
    for (auto& p : app::checkDaemonConfig(*loaded, {}, &notifications)) {
      loaded->problems.push_back(std::move(p));
    }
    return loaded;
  }

  sim::SimServer sim_;
  sfsync::testing::TempDir dir_;
  std::shared_ptr<Clock> clock_ = systemClock();
  std::shared_ptr<config::LoadedConfig> config_;
  store::StorePtr store_;
  std::unique_ptr<app::DaemonRuntime> runtime_;
  std::unique_ptr<app::DefinitionEditor> editor_;
};

}  // namespace sfsync::admin::testing
