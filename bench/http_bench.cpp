// http_bench URL CLIENTS SECONDS: CLIENTS keep-alive connections GET URL as fast as
// they can for SECONDS; prints requests/s, median and 99th-percentile latency, and the
// number of answers that were not 200. The load generator of bench/serve_bench.sh.
#include <algorithm>
#include <utility>  // before Boost.Asio 1.74, which uses std::exchange without it
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Target {
  std::string host, port, path;
};

bool ParseUrl(const std::string& url, Target* out) {
  if (url.rfind("http://", 0) != 0) return false;
  const std::string rest = url.substr(7);
  const auto slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  out->path = slash == std::string::npos ? "/" : rest.substr(slash);
  const auto colon = authority.rfind(':');
  out->host = authority.substr(0, colon);
  out->port = colon == std::string::npos ? "80" : authority.substr(colon + 1);
  return true;
}

// One client: requests on one connection until `end`; latencies in microseconds.
void Client(const Target& target, Clock::time_point end, std::vector<double>* latencies, std::atomic<long>* failures) {
  asio::io_context io;
  tcp::resolver resolver(io);
  beast::tcp_stream stream(io);
  const auto endpoints = resolver.resolve(target.host, target.port);
  stream.connect(endpoints);
  beast::flat_buffer buffer;
  while (Clock::now() < end) {
    http::request<http::empty_body> request{http::verb::get, target.path, 11};
    request.set(http::field::host, target.host);
    request.set(http::field::accept, "application/sparql-results+json, application/json");
    const auto start = Clock::now();
    beast::error_code ec;
    http::write(stream, request, ec);
    http::response<http::string_body> response;
    if (!ec) http::read(stream, buffer, response, ec);
    if (ec) {  // the server closed the connection: count it and connect again
      ++*failures;
      stream.close();
      stream.connect(endpoints);
      continue;
    }
    latencies->push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    if (response.result_int() != 200) ++*failures;
    if (!response.keep_alive()) {
      stream.close();
      stream.connect(endpoints);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  Target target;
  if (argc != 4 || !ParseUrl(argv[1], &target)) {
    std::fprintf(stderr, "usage: http_bench http://HOST:PORT/PATH CLIENTS SECONDS\n");
    return 2;
  }
  const int clients = std::stoi(argv[2]);
  const double seconds = std::stod(argv[3]);
  const auto end = Clock::now() + std::chrono::milliseconds(static_cast<long>(seconds * 1000));
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(clients));
  std::atomic<long> failures{0};
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  for (int i = 0; i < clients; ++i) {
    threads.emplace_back([&, i] {
      try {
        Client(target, end, &latencies[static_cast<std::size_t>(i)], &failures);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "client %d: %s\n", i, e.what());
        ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  const auto at = [&](double q) { return all.empty() ? 0.0 : all[static_cast<std::size_t>(q * (all.size() - 1))] / 1000; };
  std::printf("%.0f\t%.2f\t%.2f\t%ld\n", all.size() / elapsed, at(0.5), at(0.99), failures.load());
  return 0;
}
