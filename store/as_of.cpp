#include "store/as_of.hpp"

#include <ctime>

namespace parley::store {

namespace {

// Reads exactly `digits` digits at `at`; -1 when they are not there.
int Digits(std::string_view text, std::size_t at, std::size_t digits) {
  if (at + digits > text.size()) return -1;
  int value = 0;
  for (std::size_t i = at; i < at + digits; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

Status Malformed(std::string_view text, std::string_view why) {
  return Status::InvalidArgument("\"" + std::string(text) + "\" is not a date or date-time (" + std::string(why) +
                                 "); write 2019-03-01, 2019-03-01T12:00:00Z or a generation number");
}

}  // namespace

Result<std::int64_t> ParseMoment(std::string_view text, MomentEdge edge) {
  // The fields in order, and how many of them were written (year .. millisecond).
  int field[7] = {0, 1, 1, 0, 0, 0, 0};
  int written = 0;
  const int year = Digits(text, 0, 4);
  if (year < 0) return Malformed(text, "it must start with a four-digit year");
  field[0] = year;
  written = 1;
  std::size_t at = 4;
  auto take = [&](char separator, int index, int low, int high, const char* name) -> Status {
    if (at >= text.size() || text[at] != separator) return Status::OK();
    const int value = Digits(text, at + 1, 2);
    if (value < low || value > high) return Malformed(text, std::string("bad ") + name);
    field[index] = value;
    written = index + 1;
    at += 3;
    return Status::OK();
  };
  PARLEY_RETURN_IF_ERROR(take('-', 1, 1, 12, "month"));
  if (written == 2) PARLEY_RETURN_IF_ERROR(take('-', 2, 1, 31, "day"));
  if (written == 3 && field[2] > DaysInMonth(field[0], field[1])) return Malformed(text, "no such day in that month");
  if (written == 3 && at < text.size() && (text[at] == 'T' || text[at] == 't' || text[at] == ' ')) {
    const char separator = text[at];
    PARLEY_RETURN_IF_ERROR(take(separator, 3, 0, 23, "hour"));
    if (written != 4) return Malformed(text, "bad hour");
    PARLEY_RETURN_IF_ERROR(take(':', 4, 0, 59, "minute"));
    if (written != 5) return Malformed(text, "a time needs hours and minutes");
    PARLEY_RETURN_IF_ERROR(take(':', 5, 0, 60, "second"));
    if (written == 6 && at < text.size() && text[at] == '.') {
      std::size_t end = at + 1;
      int millis = 0, scale = 100;
      while (end < text.size() && text[end] >= '0' && text[end] <= '9') {
        millis += (text[end] - '0') * scale;
        scale /= 10;
        ++end;
      }
      if (end == at + 1) return Malformed(text, "bad fraction of a second");
      field[6] = millis;
      written = 7;
      at = end;
    }
  }
  std::int64_t offset_minutes = 0;
  if (written >= 4 && at < text.size()) {
    if (text[at] == 'Z' || text[at] == 'z') {
      ++at;
    } else if (text[at] == '+' || text[at] == '-') {
      const int hours = Digits(text, at + 1, 2);
      const int minutes = at + 3 < text.size() && text[at + 3] == ':' ? Digits(text, at + 4, 2) : -1;
      if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return Malformed(text, "bad time zone");
      offset_minutes = (text[at] == '+' ? 1 : -1) * (hours * 60 + minutes);
      at += 6;
    }
  }
  if (at != text.size()) return Malformed(text, "unexpected \"" + std::string(text.substr(at)) + "\"");

  std::tm tm{};
  tm.tm_year = field[0] - 1900;
  tm.tm_mon = field[1] - 1;
  tm.tm_mday = field[2];
  tm.tm_hour = field[3];
  tm.tm_min = field[4];
  tm.tm_sec = field[5];
  std::int64_t ms = static_cast<std::int64_t>(timegm(&tm)) * 1000 + field[6] - offset_minutes * 60'000;
  if (edge == MomentEdge::kEnd) {
    // The last millisecond of the period the last written field names.
    switch (written) {
      case 1: ms += (DaysInMonth(field[0], 2) == 29 ? 366 : 365) * 86'400'000LL; break;
      case 2: ms += DaysInMonth(field[0], field[1]) * 86'400'000LL; break;
      case 3: ms += 86'400'000LL; break;
      case 4: ms += 3'600'000LL; break;
      case 5: ms += 60'000LL; break;
      case 6: ms += 1'000LL; break;
      default: ms += 1; break;
    }
    ms -= 1;
  }
  return ms;
}

std::string FormatMoment(std::int64_t unix_ms) {
  const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

Result<AsOf> ParseAsOf(std::string_view text) {
  AsOf as_of;
  as_of.text = std::string(text);
  if (text.empty()) return Status::InvalidArgument("--as-of needs a generation, a date or a date-time");
  if (text.find_first_not_of("0123456789") == std::string_view::npos && text.size() <= 18) {
    as_of.generation = std::stoull(std::string(text));
    return as_of;
  }
  auto moment = ParseMoment(text, MomentEdge::kEnd);
  if (!moment.ok()) return moment.status();
  as_of.unix_ms = *moment;
  return as_of;
}

}  // namespace parley::store
