// Text normalisation shared by analysis, metadata and schema keys.
// Pure functions of their input; safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vigie {

// Replaces every invalid UTF-8 sequence (overlong, surrogate, truncated, stray
// continuation byte) with U+FFFD. Valid input is returned unchanged.
std::string make_valid_utf8(std::string_view bytes);
bool is_valid_utf8(std::string_view bytes);

// NFC normalisation (input made valid first).
std::string to_nfc(std::string_view utf8);

// Matching form: case-folded (ICU full folding), accents and other combining
// marks removed, ligatures expanded (œ→oe, æ→ae, ß→ss), apostrophe variants
// unified to ', Unicode spaces to ' '. "Délibération" → "deliberation",
// "Œuvre" → "oeuvre".
std::string fold(std::string_view utf8);

// The code points real documents write for an apostrophe: ' ’ ʼ ‘ ´ ` ′ ‛ ‵ ＇
// ʹ ʻ ʽ (word processors' "smart quotes", keyboards without ’, OCR and
// spacing accents). fold() and lower() turn each into ', the analyzer strips
// the elisions written with any of them (docs/analysis.md, "Elisions").
bool is_apostrophe_like(char32_t c);

// Lower case only (ICU full case folding), accents kept: "L’État" → "l’état".
std::string lower(std::string_view utf8);

// Drops private-use code points (U+E000–U+F8FF, planes 15 and 16): symbol
// fonts (Wingdings, Symbol) put their bullets there — U+F0D8, U+F0A7, U+F0B7
// in the Chémeré PDFs and JSON — and no font of a reader's browser draws
// them, so an extract would show an empty box. A blank right after one
// goes too when a blank or a line start is before it (a bullet: « a  b »
// would be left). Valid UTF-8 in, valid UTF-8 out.
std::string drop_private_use(std::string_view utf8);

// Collapses runs of Unicode white space to one ASCII space and trims.
std::string collapse_spaces(std::string_view utf8);
// collapse_spaces(utf8).empty(), without building it.
bool is_blank(std::string_view utf8);
// A 64-bit FNV-1a hash of `bytes`, and of collapse_spaces(utf8) without
// building it: content hashes kept in indexes, so never to change (the
// offset basis lacks the published one's last digit, as it always has).
// Not for security.
std::uint64_t fnv1a(std::string_view bytes);
std::uint64_t collapsed_fnv1a(std::string_view utf8);

}  // namespace vigie
