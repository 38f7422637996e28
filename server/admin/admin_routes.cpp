#include "admin/admin_routes.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "admin/admin_auth.h"
#include "http/http_error.h"
#include "http/http_response.h"

namespace vigie::http {
namespace {

void require_token(const AdminContext& context, const HttpExchange& ex) {
  // Disabled is not "unauthenticated": no token can help, so 403, not 401.
  if (context.token.empty())
    throw HttpError(403,
                    "L’API d’administration est désactivée : aucun jeton n’est configuré "
                    "(server.admin_token ou VIGIE_ADMIN_TOKEN).");
  if (!admin_authorized(ex.request.get("Authorization", ""), context.token))
    throw HttpError(
        401, "Jeton d’administration absent ou invalide (en-tête « Authorization: Bearer … »).",
        {{"WWW-Authenticate", "Bearer realm=\"vigie-admin\""}});
}

// {} / {"full": true|false} / empty body.
bool wants_full(const std::string& body) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return false;
  rapidjson::Document doc;
  doc.Parse(body.c_str(), body.size());
  if (doc.HasParseError() || !doc.IsObject())
    throw HttpError(
        400, "Le corps de la requête doit être un objet JSON, par exemple {\"full\": true}.");
  bool full = false;
  for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
    const std::string name(it->name.GetString(), it->name.GetStringLength());
    if (name != "full")
      throw HttpError(400, "Champ inconnu dans le corps de la requête : « " + name + " ».");
    if (!it->value.IsBool()) throw HttpError(400, "Le champ « full » doit valoir true ou false.");
    full = it->value.GetBool();
  }
  return full;
}

void post_reindex(AdminContext& context, HttpExchange& ex) {
  require_token(context, ex);
  const bool full = wants_full(ex.body);
  if (context.config.indexer.roots.empty())
    throw HttpError(409, "Aucun dossier à indexer : indexer.roots est vide dans la configuration.");
  bool started = false;
  try {
    started = context.runner.start(full);
  } catch (const std::runtime_error& e) {
    throw HttpError(500, std::string("Impossible de lancer l’indexeur : ") + e.what());
  }
  if (!started)
    throw HttpError(409, "Une réindexation est déjà en cours ; consultez GET /api/admin/status.");
  send_json(ex.response, 202, reindex_status_json(context.runner.status()));
}

void get_status(AdminContext& context, HttpExchange& ex) {
  require_token(context, ex);
  send_json(ex.response, 200, reindex_status_json(context.runner.status()));
}

}  // namespace

std::string reindex_status_json(const ReindexStatus& status) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  auto string_or_null = [&](const char* key, const std::string& value) {
    w.Key(key);
    if (value.empty())
      w.Null();
    else
      w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
  };
  w.StartObject();
  w.Key("running");
  w.Bool(status.running);
  w.Key("runs");
  w.Uint(status.runs);
  w.Key("full");
  w.Bool(status.full);
  string_or_null("started_at", status.started_at);
  string_or_null("finished_at", status.finished_at);
  w.Key("exit_code");
  if (status.exit_code)
    w.Int(*status.exit_code);
  else
    w.Null();
  w.Key("report");
  if (status.report_json.empty())
    w.Null();
  else
    w.RawValue(status.report_json.c_str(), status.report_json.size(), rapidjson::kObjectType);
  string_or_null("output", status.output_tail);
  string_or_null("error", status.error);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

void register_admin_routes(Router& router, AdminContext& context) {
  router.add({"POST", "/api/admin/reindex", false, "/api/admin/reindex", true,
              [&context](HttpExchange& ex) { post_reindex(context, ex); }});
  router.add({"GET", "/api/admin/status", false, "/api/admin/status", true,
              [&context](HttpExchange& ex) { get_status(context, ex); }});
  // The first API's status route, kept as an alias.
  router.add({"GET", "/api/admin/reindex", false, "/api/admin/reindex", true,
              [&context](HttpExchange& ex) { get_status(context, ex); }});
}

}  // namespace vigie::http
