// server/http_server.hpp
// HTTP/1.1 on Boost.Beast: one thread accepts, a fixed pool of workers each serves one
// connection at a time (keep-alive included), and accepted connections wait in a
// bounded queue. A connection that finds the queue full gets 503 at once; a body over
// the limit gets 413; a connection idle past the limit is closed. SIGINT and SIGTERM
// stop accepting, let every accepted request finish, and then Serve returns.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include "server/service.hpp"
#include "store/status.hpp"

namespace parley::server {

struct ServerOptions {
  std::string bind = "127.0.0.1";  // loopback unless asked otherwise
  unsigned short port = 7878;      // 0: any free port
  std::size_t workers = 8;
  std::size_t queue = 64;                     // connections waiting for a worker
  std::size_t max_body = std::size_t{16} << 20;
  std::chrono::seconds idle{5};               // keep-alive, and a stalled client
  bool access_log = true;                     // one line per request on stderr
};

using Handler = std::function<HttpResponse(const HttpRequest&)>;

// Serves until SIGINT or SIGTERM. `listening` is called with the bound port once the
// server accepts connections. Errors: the address cannot be bound.
Status Serve(const ServerOptions& options, const Handler& handler, const std::function<void(unsigned short)>& listening);

}  // namespace parley::server
