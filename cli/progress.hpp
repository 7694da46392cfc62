// cli/progress.hpp
// A one-line progress report for long loads, redrawn in place on a terminal.
// Prints nothing when standard error is not a terminal.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace parley::cli {

class ProgressLine {
 public:
  ProgressLine();
  ~ProgressLine();
  // Shows `count` items and the rate so far; redraws at most a few times a second.
  void Update(std::uint64_t count);
  // Replaces the line with a phase name ("writing indexes") while the count stands still.
  void Phase(const std::string& name);
  // Clears the line.
  void Done();
  double ElapsedSeconds() const;

 private:
  void Draw(const std::string& text);
  bool enabled_;
  bool drawn_ = false;
  std::uint64_t count_ = 0;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

// 1234567 -> "1,234,567".
std::string WithThousands(std::uint64_t n);

}  // namespace parley::cli
