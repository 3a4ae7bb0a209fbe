#include "ember/runtime/task_context.h"

#include "ember/common/error.h"

namespace ember {

std::string TaskContext::attempt_id() const {
  return "attempt_" + std::to_string(job_id) + "_" + std::to_string(stage_id) + "_" +
         std::to_string(partition) + "_" + std::to_string(attempt);
}

void TaskContext::check_cancelled() const {
  if (is_cancelled()) {
    throw EmberError(ErrorKind::kCancelled,
                     "task " + std::to_string(partition) + " of stage " + std::to_string(stage_id) +
                         " (job " + std::to_string(job_id) +
                         ") was cancelled: another task failed or the job was cancelled");
  }
}

}  // namespace ember
