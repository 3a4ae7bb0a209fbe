#pragma once
// ember's data-quality API in one header: checks, verification, validation and reports.
#include "ember/quality/check.h"
#include "ember/quality/report.h"
#include "ember/quality/validation.h"
#include "ember/quality/verification.h"
