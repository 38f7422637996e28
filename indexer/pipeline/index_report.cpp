#include "pipeline/index_report.h"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace vigie {
namespace {

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

void string(Writer& w, const std::string& s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void problems(Writer& w, const char* key, const std::vector<FileProblem>& list) {
  w.Key(key);
  w.StartArray();
  for (const auto& p : list) {
    w.StartObject();
    w.Key("path");
    string(w, p.path);
    w.Key("kind");
    string(w, p.kind);
    w.Key("reason");
    string(w, p.reason);
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace

std::string IndexReport::to_json() const {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("full");
  w.Bool(full);
  w.Key("dry_run");
  w.Bool(dry_run);
  w.Key("generation");
  string(w, generation);
  w.Key("added");
  w.Uint64(added);
  w.Key("updated");
  w.Uint64(updated);
  w.Key("deleted");
  w.Uint64(deleted);
  w.Key("unchanged");
  w.Uint64(unchanged);
  problems(w, "skipped", skipped);
  problems(w, "failed", failed);
  w.Key("warnings");
  w.StartArray();
  for (const auto& warning : warnings) string(w, warning);
  w.EndArray();
  w.Key("documents");
  w.Uint64(documents);
  w.Key("documents_deleted");
  w.Uint64(documents_deleted);
  w.Key("bytes");
  w.Uint64(bytes_read);
  w.Key("text_bytes");
  w.Uint64(text_bytes);
  w.Key("families");
  w.Uint64(families);
  w.Key("family_members");
  w.Uint64(family_members);
  w.Key("family_seconds");
  w.Double(family_seconds);
  w.Key("seconds");
  w.Double(seconds);
  w.Key("threads");
  w.Int(threads);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

std::string IndexReport::summary() const {
  char line[512];
  const double mb = static_cast<double>(bytes_read) / (1024.0 * 1024.0);
  const double rate = seconds > 0 ? static_cast<double>(documents) / seconds : 0;
  std::snprintf(
      line, sizeof line,
      "%s%s: %llu added, %llu updated, %llu deleted, %llu unchanged, %zu skipped, %zu failed "
      "files; %llu documents written (%.1f MB read) in %.2f s (%.0f docs/s, %.2f MB/s, %d "
      "threads); "
      "%llu families of %llu documents holding the same text (%.2f s)",
      dry_run ? "dry run, nothing written" : (full ? "full rebuild" : "incremental update"),
      generation.empty() ? "" : (" of " + generation).c_str(),
      static_cast<unsigned long long>(added), static_cast<unsigned long long>(updated),
      static_cast<unsigned long long>(deleted), static_cast<unsigned long long>(unchanged),
      skipped.size(), failed.size(), static_cast<unsigned long long>(documents), mb, seconds, rate,
      seconds > 0 ? mb / seconds : 0.0, threads, static_cast<unsigned long long>(families),
      static_cast<unsigned long long>(family_members), family_seconds);
  return line;
}

std::string write_failure_message(const WriteFailure& failure) {
  // Xapian reports the OS error only as strerror() text: compare it with
  // the same text for the errors a full disk gives.
  bool out_of_room = false;
  for (int code : {ENOSPC, EFBIG, EDQUOT})
    out_of_room = out_of_room || failure.system_error == std::strerror(code);
  const std::string generation = std::filesystem::path(failure.target).filename().string();
  std::string message = "writing the index at " + failure.target + " failed: ";
  if (out_of_room)
    message += "the disk is full or a file size limit was reached (" + failure.error + "). ";
  else
    message += failure.error + ". ";
  if (failure.full) {
    message += "Nothing was switched: ";
    message += failure.live_generation.empty() ? std::string("there was no live generation")
                                               : failure.live_generation + " still serves";
    message += ", and the unfinished " + generation + " was removed. ";
  } else {
    message += "The last committed state of " + generation + " is intact and still serves. ";
  }
  message +=
      out_of_room ? "Free some space (or raise the limit), then rerun." : "Rerun to complete.";
  return message;
}

}  // namespace vigie
