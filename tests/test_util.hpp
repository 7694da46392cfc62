// tests/test_util.hpp: helpers shared by the test suites.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "store/quad_store.hpp"

#define ASSERT_OK(expr)                                   \
  do {                                                    \
    auto s_ = (expr);                                     \
    ASSERT_TRUE(s_.ok()) << s_.ToString();                \
  } while (0)
#define EXPECT_OK(expr)                                   \
  do {                                                    \
    auto s_ = (expr);                                     \
    EXPECT_TRUE(s_.ok()) << s_.ToString();                \
  } while (0)

namespace parley::testing {

// Built with AddressSanitizer (make test-asan): memory is shadowed and freed blocks are
// held in quarantine, so resident memory says little, and everything runs slower.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif

// A directory unique to the running test (ctest runs tests in parallel processes).
inline std::filesystem::path UniqueTestDir(const std::string& what) {
  const auto* t = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = std::string("parley-") + what + "-" + t->test_suite_name() + "-" + t->name() + "-" +
                     std::to_string(::getpid());
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  auto dir = std::filesystem::path(::testing::TempDir()) / name;
  std::filesystem::remove_all(dir);
  return dir;
}

// Removes a test's directory when it goes out of scope, however the test ends.
class RemovedAtEnd {
 public:
  explicit RemovedAtEnd(std::filesystem::path dir) : dir_(std::move(dir)) {}
  RemovedAtEnd(const RemovedAtEnd&) = delete;
  RemovedAtEnd& operator=(const RemovedAtEnd&) = delete;
  ~RemovedAtEnd() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

 private:
  std::filesystem::path dir_;
};

class TempDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = UniqueTestDir("db");
    ASSERT_OK(store::QuadStore::Open(dir_, &store_));
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  std::unique_ptr<store::QuadStore> store_;
};

}  // namespace parley::testing
