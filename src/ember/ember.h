#pragma once
// ember's public C++ API: include this one header.
#include "ember/api/column.h"
#include "ember/api/dataframe.h"
#include "ember/api/functions.h"
#include "ember/api/reader_writer.h"
#include "ember/api/row.h"
#include "ember/api/session.h"
#include "ember/api/window.h"
#include "ember/common/error.h"
#include "ember/types/data_type.h"
#include "ember/types/value.h"
