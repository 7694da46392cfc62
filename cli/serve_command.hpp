// cli/serve_command.hpp
// `parley serve`: the database over HTTP (server/).
#pragma once

#include <filesystem>

#include "server/http_server.hpp"

namespace CLI {
class App;
}

namespace parley::cli {

struct ServeArgs {
  server::ServerOptions server;
  double timeout_seconds = 30;
  std::string max_body = "16M";
  bool writable = false;  // POST /store and /facts; the server holds the write lock
};

void AddServeOptions(CLI::App* app, ServeArgs* args);
int RunServeCommand(const std::filesystem::path& db, const ServeArgs& args);

}  // namespace parley::cli
