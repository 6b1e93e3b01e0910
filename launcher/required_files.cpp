#include "launcher/required_files.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

namespace fanout::launcher {

namespace fs = std::filesystem;

namespace {

std::string missing_message(const fs::path& file) {
  return "not run: required file '" + file.string() + "' does not exist (REQUIRED_FILES)";
}

}  // namespace

std::optional<fs::path> first_missing_file(const std::vector<fs::path>& files,
                                           const fs::path& directory) {
  for (const auto& file : files) {
    std::error_code ec;
    const fs::path where = file.is_relative() && !directory.empty() ? directory / file : file;
    if (!fs::exists(where, ec)) return file;
  }
  return std::nullopt;
}

RequiredFilesCheck::RequiredFilesCheck(boost::asio::io_context& io, BatchRunner& runner)
    : io_(io), runner_(runner) {}

void RequiredFilesCheck::start(Batch batch, BatchCallbacks callbacks) {
  const collector::Target& target = *batch.target;
  const fs::path directory = target.run_directory();
  const auto missing = first_missing_file(target.required_files, directory);
  if (!missing) {
    runner_.start(std::move(batch), std::move(callbacks));
    return;
  }
  auto refused =
      std::make_shared<std::pair<Batch, BatchCallbacks>>(std::move(batch), std::move(callbacks));
  boost::asio::post(io_, [this, refused, message = missing_message(*missing)] {
    auto& [batch, callbacks] = *refused;
    if (!cancelled_) {
      for (const collector::Item* item : batch.items) {
        callbacks.item_finished(collector::Result{
            .item_id = item->id, .outcome = collector::Outcome::error, .message = message});
      }
    }
    if (callbacks.process_ended) callbacks.process_ended();
    callbacks.batch_done({});
  });
}

void RequiredFilesCheck::run_fixture_command(const FixtureCommand& command,
                                             std::function<void(FixtureCommandResult)> done) {
  const auto missing = first_missing_file(command.required_files, command.working_directory);
  if (!missing) {
    runner_.run_fixture_command(command, std::move(done));
    return;
  }
  boost::asio::post(io_, [done = std::move(done), message = missing_message(*missing)] {
    done(FixtureCommandResult{.outcome = collector::Outcome::error, .message = message});
  });
}

void RequiredFilesCheck::cancel_all() {
  cancelled_ = true;
  runner_.cancel_all();
}

}  // namespace fanout::launcher
