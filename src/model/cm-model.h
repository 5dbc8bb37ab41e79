/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cm-model-types.h"
#include "cm-model-enums.h"
#include "cm-quote.h"
#include "cm-source.h"
#include "cm-actor.h"
#include "cm-link.h"
#include "cm-dataset.h"
#include "cm-history.h"
