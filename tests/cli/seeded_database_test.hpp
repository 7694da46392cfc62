// tests/cli/seeded_database_test.hpp
// A test suite with one database seeded by `parley init`, shared by its tests, in a
// scratch directory of its own. `Name` tells the suites' directories apart.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/rdf_test_support.hpp"

namespace parley::testing {

template <class Suite>
class SeededDatabaseTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::filesystem::path(::testing::TempDir()) / ("parley-" + std::string(Suite::kName) + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto r = RunCommand(Suite::Parley() + " init", dir_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(dir_); }

  // The parley command on this suite's database.
  static std::string Parley() { return std::string(PARLEY_BINARY) + " --db " + (dir_ / "db").string(); }
  static CommandResult Run(const std::string& args) { return RunCommand(Suite::Parley() + " " + args, dir_); }

  static inline std::filesystem::path dir_;
};

}  // namespace parley::testing
