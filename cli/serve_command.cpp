#include "cli/serve_command.hpp"

#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/store_access.hpp"

namespace parley::cli {
namespace {

// The read-only store as another process last committed it: reopened (at most every
// half second) when the database's files show a write, while requests that hold the
// old one finish on it.
class LatestStore {
 public:
  explicit LatestStore(std::filesystem::path db) : db_(std::move(db)) {}
  Status Open() {
    std::unique_ptr<store::QuadStore> opened;
    PARLEY_RETURN_IF_ERROR(OpenForReading(db_, &opened));
    store_ = std::move(opened);
    files_ = DatabaseFiles(db_);
    checked_ = std::chrono::steady_clock::now();
    return Status::OK();
  }
  std::shared_ptr<const store::QuadStore> Get() {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (now - checked_ > std::chrono::milliseconds(500)) {
      checked_ = now;
      // A failed reopen keeps serving the last state that opened.
      if (DatabaseFiles(db_) != files_) (void)Open();
    }
    return store_;
  }

 private:
  std::filesystem::path db_;
  std::mutex mutex_;
  std::shared_ptr<const store::QuadStore> store_;
  std::string files_;
  std::chrono::steady_clock::time_point checked_;
};

}  // namespace

void AddServeOptions(CLI::App* app, ServeArgs* args) {
  app->add_option("--bind", args->server.bind, "The address to listen on (default 127.0.0.1, this machine only)")
      ->type_name("ADDRESS");
  app->add_option("--port", args->server.port, "The port (default 7878; 0 picks a free one and prints it)")->type_name("PORT");
  AddTimeoutOption(app, &args->timeout_seconds, "Stop a query or question after SECONDS (default 30); it gets 503");
  app->add_option("--workers", args->server.workers, "Requests answered at once (default 8)")
      ->type_name("N")->check(CLI::PositiveNumber);
  app->add_option("--queue", args->server.queue, "Connections that may wait for a worker; more get 503 (default 64)")
      ->type_name("N")->check(CLI::PositiveNumber);
  app->add_option("--max-body", args->max_body, "The largest request body, e.g. 16M (default); larger ones get 413")
      ->type_name("SIZE");
  app->add_flag("--writable", args->writable,
                "Accept POST /store (RDF) and POST /facts (fact files); the server holds the database's write lock");
  app->add_flag("--no-access-log", [args](std::int64_t) { args->server.access_log = false; },
                "Do not log each request on standard error");
}

int RunServeCommand(const std::filesystem::path& db, const ServeArgs& args) {
  const auto max_body = ParseByteSize(args.max_body);
  if (!max_body) {
    std::fprintf(stderr, "parley serve: --max-body takes a size such as 512K or 16M, not \"%s\"\n", args.max_body.c_str());
    return kExitUsage;
  }
  server::ServerOptions options = args.server;
  options.max_body = *max_body;
  server::ServiceOptions service_options;
  service_options.timeout = std::chrono::milliseconds(static_cast<long long>((args.timeout_seconds > 0 ? args.timeout_seconds : 30) * 1000));
  std::shared_ptr<store::QuadStore> writer;
  std::unique_ptr<LatestStore> latest;
  server::StoreProvider provider;
  if (args.writable) {
    std::unique_ptr<store::QuadStore> opened;
    if (Status s = store::QuadStore::Open(db, store::StoreOptions{store::OpenMode::kReadWrite}, &opened); !s.ok()) {
      return Fail(s);
    }
    writer = std::move(opened);
    provider = [writer] { return std::shared_ptr<const store::QuadStore>(writer); };
  } else {
    latest = std::make_unique<LatestStore>(db);
    if (Status s = latest->Open(); !s.ok()) return Fail(s);
    provider = [&latest] { return latest->Get(); };
  }
  server::Service service(provider, writer.get(), service_options);
  const server::Handler handler = [&service](const server::HttpRequest& request) { return service.Handle(request); };
  Status s = server::Serve(options, handler, [&](unsigned short port) {
    std::fprintf(stderr, "parley serve: listening on http://%s:%u/ (database %s); Ctrl-C stops\n", options.bind.c_str(),
                 static_cast<unsigned>(port), db.string().c_str());
    std::fflush(stderr);
  });
  if (!s.ok()) return Fail(s);
  std::fprintf(stderr, "parley serve: stopped\n");
  return kExitOk;
}

}  // namespace parley::cli
