// sfsync-sim: runs the fake Salesforce org (SimServer) as a separate process for scripts and
// benchmarks. Prints exactly one line "sfsync-sim listening on http://HOST:PORT" once ready and
// serves until SIGTERM or SIGINT, then exits 0.
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>

#include <pthread.h>

#include "pubsub_sim/PubSubSim.h"
#include "salesforce_sim/SimServer.h"

namespace {

const char kUsage[] =
    "usage: sfsync-sim [options]\n"
    "  --org-dir=DIR            org directory (default: the sample org)\n"
    "  --host=HOST              listen address (default 127.0.0.1)\n"
    "  --port=N                 listen port (default 0: any free port)\n"
    "  --batch-size=N           default query page size (default 2000)\n"
    "  --generate-accounts=N    add N synthetic Accounts\n"
    "  --generate-contacts=N    add N synthetic Contacts (spread over the Accounts)\n"
    "  --duplicate-emails-every=N  every Nth generated Contact takes the Email of the one\n"
    "                           before it (default 0: every Email is unique)\n"
    "  --latency-ms=N           delay every answer by N ms (default 0)\n"
    "  --api-limit=N            daily API allowance (Sforce-Limit-Info max; default 15000)\n"
    "  --bulk-polls-to-complete=N  status polls until a Bulk query job is JobComplete\n"
    "                           (default 2; 0: complete at once)\n"
    "  --no-org                 load the org's describes but none of its records\n"
    "  --no-multi-currency      no CurrencyType object, no CurrencyIsoCode fields\n"
    "  --port-file=PATH         write the port number to PATH once listening\n"
    "  --pubsub-port-file=PATH  also serve the Pub/Sub API (gRPC, CDC events of every write) and\n"
    "                           write its port to PATH once listening\n"
    "  --jwt-certificate=FILE   accept JWT bearer assertions signed by the key of this PEM\n"
    "                           certificate or RSA public key (the connected app's)\n"
    "  --help                   show this help\n";

bool option(const std::string& arg, const std::string& name, std::string& value) {
  const std::string prefix = "--" + name + "=";
  if (arg.rfind(prefix, 0) != 0) return false;
  value = arg.substr(prefix.size());
  return true;
}

long number(const std::string& name, const std::string& text) {
  char* end = nullptr;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || v < 0) {
    std::cerr << "sfsync-sim: --" << name << " needs a non-negative number, got '" << text << "'\n";
    std::exit(2);
  }
  return v;
}

}  // namespace

// Writes `port` to `path` atomically (a temporary file renamed).
bool writePortFile(const std::string& path, std::uint16_t port) {
  const std::string tmp = path + ".tmp";
  std::ofstream(tmp) << port << "\n";
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::cerr << "sfsync-sim: cannot write " << path << "\n";
    return false;
  }
  return true;
}

int main(int argc, char** argv) {
  sfsync::sim::SimOptions options;
  long accounts = 0, contacts = 0, duplicateEmailEvery = 0, latencyMs = 0, apiLimit = -1,
       bulkPolls = -1;
  std::string portFile;
  std::string pubsubPortFile;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    std::string v;
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (option(arg, "org-dir", v)) {
      options.orgDir = v;
    } else if (option(arg, "host", v)) {
      options.host = v;
    } else if (option(arg, "port", v)) {
      const long port = number("port", v);
      if (port > 65535) {
        std::cerr << "sfsync-sim: --port out of range\n";
        return 2;
      }
      options.port = static_cast<std::uint16_t>(port);
    } else if (option(arg, "batch-size", v)) {
      options.batchSize = static_cast<int>(number("batch-size", v));
    } else if (option(arg, "generate-accounts", v)) {
      accounts = number("generate-accounts", v);
    } else if (option(arg, "generate-contacts", v)) {
      contacts = number("generate-contacts", v);
    } else if (option(arg, "duplicate-emails-every", v)) {
      duplicateEmailEvery = number("duplicate-emails-every", v);
    } else if (option(arg, "latency-ms", v)) {
      latencyMs = number("latency-ms", v);
    } else if (option(arg, "api-limit", v)) {
      apiLimit = number("api-limit", v);
    } else if (option(arg, "bulk-polls-to-complete", v)) {
      bulkPolls = number("bulk-polls-to-complete", v);
    } else if (arg == "--no-org") {
      options.loadOrg = false;
    } else if (arg == "--no-multi-currency") {
      options.multiCurrency = false;
    } else if (option(arg, "port-file", v)) {
      portFile = v;
    } else if (option(arg, "pubsub-port-file", v)) {
      pubsubPortFile = v;
    } else if (option(arg, "jwt-certificate", v)) {
      std::ifstream in(v);
      if (!in) {
        std::cerr << "sfsync-sim: cannot read --jwt-certificate file " << v << "\n";
        return 2;
      }
      options.jwtCertificatePem.assign(std::istreambuf_iterator<char>(in), {});
    } else {
      std::cerr << "sfsync-sim: unknown option " << arg << "\n" << kUsage;
      return 2;
    }
  }

  // Block the stop signals before any thread starts, then wait for them synchronously.
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGTERM);
  sigaddset(&stopSignals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

  try {
    sfsync::sim::SimServer server(options);
    if (accounts > 0) server.generateAccounts(static_cast<std::size_t>(accounts));
    if (contacts > 0) {
      server.generateContacts(static_cast<std::size_t>(contacts),
                              static_cast<std::size_t>(duplicateEmailEvery));
    }
    server.setLatencyMs(static_cast<int>(latencyMs));
    if (apiLimit >= 0) server.setApiLimit(apiLimit);
    if (bulkPolls >= 0) server.setBulkPollsToComplete(static_cast<int>(bulkPolls));
    server.start();
    std::unique_ptr<sfsync::sim::PubSubSim> pubsub;
    if (!pubsubPortFile.empty()) {
      pubsub = std::make_unique<sfsync::sim::PubSubSim>(server);
      pubsub->start();
      if (!writePortFile(pubsubPortFile, pubsub->port())) return 1;
    }
    if (!portFile.empty() && !writePortFile(portFile, server.port())) return 1;
    std::cout << "sfsync-sim listening on " << server.baseUrl() << std::endl;
    int received = 0;
    sigwait(&stopSignals, &received);
    server.stop();
  } catch (const std::exception& e) {
    std::cerr << "sfsync-sim: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
