/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-model"

#include "config.h"

#include "cm-actor.h"
#include "cm-link.h"
#include "cm-member-private.h"
#include "cm-source.h"

void
_cm_member_dispatch_properties_changed (GObject       *member,
                                        GObjectClass  *parent_class,
                                        CmMemberOwner *member_owner,
                                        guint          n_pspecs,
                                        GParamSpec   **pspecs)
{
  for (guint i = 0; i < n_pspecs; i++)
    {
      _cm_member_owner_notify (member_owner, member, pspecs[i]);
      parent_class->dispatch_properties_changed (member, 1, &pspecs[i]);
    }
}

CmMemberOwner *
_cm_member_get_owner (GObject *member)
{
  if (CM_IS_ACTOR (member))
    return _cm_actor_get_member_owner (member);
  if (CM_IS_LINK (member))
    return _cm_link_get_member_owner (member);
  if (CM_IS_SOURCE (member))
    return _cm_source_get_member_owner (member);
  return NULL;
}
