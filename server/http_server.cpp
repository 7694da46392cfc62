#include "server/http_server.hpp"

#include <sys/socket.h>
#include <sys/time.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace parley::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr std::size_t kMaxHeader = 64 << 10;  // long GET queries fit

void SetTimeouts(tcp::socket& socket, std::chrono::seconds idle) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(idle.count());
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

http::response<http::string_body> ToBeast(const HttpResponse& r, unsigned version, bool keep_alive, bool head) {
  http::response<http::string_body> out{static_cast<http::status>(r.status), version};
  out.set(http::field::server, "parley");
  out.set(http::field::content_type, r.content_type);
  for (const auto& [name, value] : r.headers) out.set(name, value);
  out.keep_alive(keep_alive);
  out.body() = head ? std::string() : r.body;
  out.prepare_payload();
  if (head) out.content_length(r.body.size());
  return out;
}

class Server {
 public:
  Server(const ServerOptions& options, const Handler& handler) : options_(options), handler_(handler) {}

  Status Run(const std::function<void(unsigned short)>& listening) {
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(options_.bind, ec);
    if (ec) return Status::InvalidArgument("cannot serve on \"" + options_.bind + "\": not an IP address");
    tcp::acceptor acceptor(io_);
    acceptor.open(address.is_v6() ? tcp::v6() : tcp::v4(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(tcp::endpoint(address, options_.port), ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return Status::IOError("cannot listen on " + options_.bind + ":" + std::to_string(options_.port) + ": " + ec.message());
    }
    asio::signal_set signals(io_, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int) {
      acceptor.close();
      Stop();
    });
    Accept(acceptor);
    std::vector<std::thread> workers;
    for (std::size_t i = 0; i < std::max<std::size_t>(1, options_.workers); ++i) workers.emplace_back([this] { Work(); });
    listening(acceptor.local_endpoint().port());
    io_.run();
    for (auto& w : workers) w.join();
    return Status::OK();
  }

 private:
  void Accept(tcp::acceptor& acceptor) {
    acceptor.async_accept([this, &acceptor](boost::system::error_code ec, tcp::socket socket) {
      if (ec) return;  // closed on shutdown
      std::unique_lock<std::mutex> lock(mutex_);
      if (waiting_.size() >= options_.queue) {
        lock.unlock();
        RefuseBusy(std::move(socket));
      } else {
        waiting_.push_back(std::move(socket));
        lock.unlock();
        ready_.notify_one();
      }
      Accept(acceptor);
    });
  }

  void Stop() {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    // Connections waiting for a request's header stop waiting; a request being read
    // or answered goes on to its end.
    for (int fd : idle_) ::shutdown(fd, SHUT_RD);
    ready_.notify_all();
  }

  void RefuseBusy(tcp::socket socket) {
    HttpResponse busy = TextResponse(503, "the server is busy; try again shortly");
    busy.headers.emplace_back("Retry-After", "1");
    boost::system::error_code ec;
    SetTimeouts(socket, std::chrono::seconds(1));
    http::write(socket, ToBeast(busy, 11, false, false), ec);
    socket.shutdown(tcp::socket::shutdown_send, ec);
    Log(socket, "-", 503, 0, 0);
  }

  void Work() {
    for (;;) {
      std::unique_lock<std::mutex> lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
      if (waiting_.empty()) return;  // stopping, and nothing accepted is left
      tcp::socket socket = std::move(waiting_.front());
      waiting_.pop_front();
      lock.unlock();
      Serve(socket);
    }
  }

  void SetIdle(int fd, bool idle) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (idle && stopping_) {
      ::shutdown(fd, SHUT_RD);
      return;
    }
    if (idle) {
      idle_.insert(fd);
    } else {
      idle_.erase(fd);
    }
  }

  // One connection: requests until the client or the server ends it.
  void Serve(tcp::socket& socket) {
    SetTimeouts(socket, options_.idle);
    beast::flat_buffer buffer;
    const int fd = socket.native_handle();
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(options_.max_body);
      parser.header_limit(kMaxHeader);
      boost::system::error_code ec;
      // Until a request's header has come, the connection is idle: a shutdown ends it.
      SetIdle(fd, true);
      http::read_header(socket, buffer, parser, ec);
      SetIdle(fd, false);
      if (!ec) http::read(socket, buffer, parser, ec);
      if (ec == http::error::body_limit || ec == http::error::header_limit) {
        const bool body = ec == http::error::body_limit;
        HttpResponse r = TextResponse(body ? 413 : 431, body ? "the request body is larger than the server's limit of " +
                                                                   std::to_string(options_.max_body) + " bytes"
                                                             : "the request's header is too large");
        http::write(socket, ToBeast(r, 11, false, false), ec);
        Log(socket, "-", r.status, r.body.size(), 0);
        break;
      }
      if (ec) break;  // closed, timed out, or not HTTP
      const auto& request = parser.get();
      const auto start = std::chrono::steady_clock::now();
      HttpRequest in{std::string(request.method_string()), std::string(request.target()),
                     std::string(request[http::field::content_type]), std::string(request[http::field::accept]),
                     request.body(), std::string(request[http::field::host])};
      HttpResponse out;
      try {
        out = handler_(in);
      } catch (const std::exception& e) {
        out = TextResponse(500, std::string("the server failed on this request: ") + e.what());
      }
      bool keep_alive;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        keep_alive = request.keep_alive() && !stopping_;
      }
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      Log(socket, in.method + " " + in.target, out.status, out.body.size(), ms);
      http::write(socket, ToBeast(out, request.version(), keep_alive, in.method == "HEAD"), ec);
      if (ec || !keep_alive) break;
    }
    boost::system::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
  }

  void Log(tcp::socket& socket, const std::string& request, int status, std::size_t bytes, double ms) {
    if (!options_.access_log) return;
    boost::system::error_code ec;
    const auto peer = socket.remote_endpoint(ec);
    const std::string who = ec ? "-" : peer.address().to_string();
    std::string shown = request.size() > 200 ? request.substr(0, 200) + "..." : request;
    std::lock_guard<std::mutex> lock(log_mutex_);
    std::fprintf(stderr, "%s \"%s\" %d %zu %.1fms\n", who.c_str(), shown.c_str(), status, bytes, ms);
  }

  const ServerOptions& options_;
  const Handler& handler_;
  asio::io_context io_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<tcp::socket> waiting_;
  std::set<int> idle_;
  bool stopping_ = false;
  std::mutex log_mutex_;
};

}  // namespace

Status Serve(const ServerOptions& options, const Handler& handler, const std::function<void(unsigned short)>& listening) {
  Server server(options, handler);
  return server.Run(listening);
}

}  // namespace parley::server
