#include "store/derived_data.hpp"

#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <fstream>

namespace parley::store {
namespace {

constexpr std::string_view kMagic = "parley-derived 1\n";

std::filesystem::path DerivedPath(const std::filesystem::path& db, std::string_view name) {
  return db / "derived" / std::string(name);
}

// FNV-1a over words: enough to tell a damaged file from a whole one (this is not a defence
// against someone who edits the file on purpose; they could edit the database too).
// Eight bytes a step: a large file is read in a few milliseconds.
std::uint64_t Checksum(std::string_view data) {
  std::uint64_t hash = 14695981039346656037ull;
  std::size_t i = 0;
  for (; i + 8 <= data.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, data.data() + i, 8);
    hash = (hash ^ word) * 1099511628211ull;
  }
  for (; i < data.size(); ++i) hash = (hash ^ static_cast<unsigned char>(data[i])) * 1099511628211ull;
  return hash;
}

// kMagic, the tag, then the data's length and checksum, each on its own line.
std::string Header(std::string_view tag, std::string_view data) {
  return std::string(kMagic) + std::string(tag) + "\n" + std::to_string(data.size()) + " " +
         std::to_string(Checksum(data)) + "\n";
}

}  // namespace

std::optional<std::string> ReadDerived(const std::filesystem::path& db, std::string_view name, std::string_view tag) {
  std::ifstream in(DerivedPath(db, name), std::ios::binary | std::ios::ate);
  if (!in) return std::nullopt;
  std::string file(static_cast<std::size_t>(in.tellg()), '\0');
  in.seekg(0);
  if (!in.read(file.data(), static_cast<std::streamsize>(file.size()))) return std::nullopt;
  const std::string expected_start = std::string(kMagic) + std::string(tag) + "\n";
  if (file.compare(0, expected_start.size(), expected_start) != 0) return std::nullopt;
  const std::size_t line_end = file.find('\n', expected_start.size());
  if (line_end == std::string::npos) return std::nullopt;
  const std::string_view data = std::string_view(file).substr(line_end + 1);
  if (file.compare(expected_start.size(), line_end + 1 - expected_start.size(),
                   Header(tag, data).substr(expected_start.size())) != 0) {
    return std::nullopt;
  }
  file.erase(0, line_end + 1);
  return file;
}

Status WriteDerived(const std::filesystem::path& db, std::string_view name, std::string_view tag,
                    std::string_view data) {
  const std::filesystem::path path = DerivedPath(db, name);
  std::error_code error;
  std::filesystem::create_directories(path.parent_path(), error);
  if (error) return Status::IOError("cannot create " + path.parent_path().string() + ": " + error.message());
  // A name of this process's own, so that two processes saving at once never mix bytes.
  std::filesystem::path temp = path;
  temp += ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    const std::string header = Header(tag, data);
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.close();
    if (!out) {
      std::filesystem::remove(temp, error);
      return Status::IOError("cannot write " + temp.string());
    }
  }
  std::filesystem::rename(temp, path, error);
  if (error) {
    std::filesystem::remove(temp, error);
    return Status::IOError("cannot replace " + path.string());
  }
  return Status::OK();
}

}  // namespace parley::store
