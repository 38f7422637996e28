// Bytes of unknown encoding → valid UTF-8 (NFC), before any analysis.
// Uses ICU charset detection (ucsdet) when the bytes are not valid UTF-8 and no
// trustworthy declaration is given, then ICU conversion. Thread-safe (each
// call owns its ICU objects).
#pragma once

#include <string>
#include <string_view>

namespace vigie {

struct DecodedText {
  std::string utf8;               // valid UTF-8, NFC, BOM removed
  std::string charset;            // what was used: "UTF-8", "windows-1252", "ISO-8859-15", ...
  bool detected = false;          // true when the charset came from detection, not declaration
  bool replaced_invalid = false;  // true when some bytes could not be decoded and became U+FFFD
};

// `declared` is a charset named by the container (HTML meta, HTTP header,
// XML prolog); it is used when ICU knows it, else detection decides.
// Never throws on bad input; the result is always valid UTF-8.
DecodedText decode_to_utf8(std::string_view bytes, std::string_view declared = {});

}  // namespace vigie
