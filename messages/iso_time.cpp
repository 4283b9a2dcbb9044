#include "messages/iso_time.hpp"

#include <cctype>
#include <chrono>
#include <cstdio>

namespace praetor {
namespace {

class cursor {
 public:
  explicit cursor(std::string_view s) : s_(s) {}
  bool done() const { return i_ >= s_.size(); }
  char peek() const { return done() ? '\0' : s_[i_]; }
  bool take(char c) {
    if (peek() != c) return false;
    ++i_;
    return true;
  }
  // Exactly n decimal digits.
  std::optional<int> digits(int n) {
    int v = 0;
    for (int k = 0; k < n; ++k) {
      if (done() || !std::isdigit(static_cast<unsigned char>(s_[i_]))) return std::nullopt;
      v = v * 10 + (s_[i_++] - '0');
    }
    return v;
  }
  // One or more digits as a fraction of a second, in microseconds (truncated).
  std::optional<int> fraction_us() {
    int us = 0, n = 0;
    while (!done() && std::isdigit(static_cast<unsigned char>(s_[i_]))) {
      if (n < 6) us = us * 10 + (s_[i_] - '0');
      ++n;
      ++i_;
    }
    if (n == 0) return std::nullopt;
    for (; n < 6; ++n) us *= 10;
    return us;
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

}  // namespace

std::optional<iso_fields> read_iso_fields(std::string_view text) {
  using namespace std::chrono;
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  cursor c(text);
  iso_fields f;
  auto y = c.digits(4);
  if (!y || !c.take('-')) return std::nullopt;
  auto mo = c.digits(2);
  if (!mo || !c.take('-')) return std::nullopt;
  auto d = c.digits(2);
  if (!d) return std::nullopt;
  f.year = *y;
  f.month = *mo;
  f.day = *d;
  if (c.take('T') || c.take('t') || c.take(' ')) {
    auto h = c.digits(2);
    if (!h || !c.take(':')) return std::nullopt;
    auto m = c.digits(2);
    if (!m) return std::nullopt;
    f.hour = *h;
    f.minute = *m;
    if (c.take(':')) {
      auto s = c.digits(2);
      if (!s) return std::nullopt;
      f.second = *s;
      if (c.take('.') || c.take(',')) {
        auto us = c.fraction_us();
        if (!us) return std::nullopt;
        f.microsecond = *us;
      }
    }
  }
  while (c.peek() == ' ') c.take(' ');
  if (c.take('Z') || c.take('z')) {
    f.offset_minutes = 0;
  } else if (c.peek() == '+' || c.peek() == '-') {
    int sign = c.peek() == '-' ? -1 : 1;
    c.take(c.peek());
    auto oh = c.digits(2);
    if (!oh) return std::nullopt;
    c.take(':');
    auto om = c.done() ? std::optional<int>(0) : c.digits(2);
    if (!om || *oh > 23 || *om > 59) return std::nullopt;
    f.offset_minutes = sign * (*oh * 60 + *om);
  }
  if (!c.done()) return std::nullopt;
  year_month_day ymd{year{f.year}, month{static_cast<unsigned>(f.month)},
                     day{static_cast<unsigned>(f.day)}};
  if (!ymd.ok() || f.hour > 23 || f.minute > 59 || f.second > 60) return std::nullopt;
  return f;
}

std::optional<iso_time> parse_iso_time(std::string_view text) {
  using namespace std::chrono;
  auto f = read_iso_fields(text);
  if (!f) return std::nullopt;
  year_month_day ymd{year{f->year}, month{static_cast<unsigned>(f->month)},
                     day{static_cast<unsigned>(f->day)}};
  auto t = sys_days{ymd} + hours{f->hour} + minutes{f->minute} + seconds{f->second} +
           milliseconds{f->microsecond / 1000} - minutes{f->offset_minutes.value_or(0)};
  return iso_time{duration_cast<milliseconds>(t.time_since_epoch()).count(),
                  f->offset_minutes.has_value()};
}

std::string format_iso_time(std::int64_t epoch_ms) {
  using namespace std::chrono;
  sys_time<milliseconds> t{milliseconds{epoch_ms}};
  auto day_start = floor<days>(t);
  year_month_day ymd{day_start};
  hh_mm_ss hms{t - day_start};
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", int(ymd.year()),
                        unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                        int(hms.minutes().count()), int(hms.seconds().count()));
  std::string out(buf, static_cast<std::size_t>(n));
  if (auto ms = hms.subseconds().count(); ms != 0) {
    std::snprintf(buf, sizeof buf, ".%03d000", int(ms));
    out += buf;
  }
  return out + "+00:00";
}

}  // namespace praetor
