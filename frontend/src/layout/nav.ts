import {
  IconDatabase,
  IconFolders,
  IconGauge,
  IconHome,
  IconKey,
  IconListDetails,
  IconMessages,
  IconPlugConnected,
  IconRobot,
  IconSearch,
  IconShieldLock,
  IconUsers,
  IconUsersGroup,
  IconClockHour4,
  IconCpu,
  IconUserCheck,
  IconLogin2,
  type Icon,
} from "@tabler/icons-react";

export interface NavItem {
  to: string;
  label: string;
  icon: Icon;
  /** Match only this exact path (for index routes). */
  end?: boolean;
}

export interface NavSection {
  label: string | null;
  /** Roles that see the section; all roles when absent. */
  roles?: string[];
  items: NavItem[];
}

/**
 * The dashboard's navigation. Add a section (or items) here as features land, and a matching
 * route in App.tsx.
 */
export const NAV_SECTIONS: NavSection[] = [
  {
    label: null,
    items: [{ to: "/", label: "Overview", icon: IconHome, end: true }],
  },
  {
    // Everyone: members see the agents they can use, builders and admins also build them.
    label: "Assistants",
    items: [
      { to: "/agents", label: "Agents", icon: IconRobot },
      { to: "/conversations", label: "Conversations", icon: IconMessages },
    ],
  },
  {
    // Everyone: the API decides which data sources and documents each person sees.
    label: "Knowledge",
    items: [
      { to: "/data", label: "Data sources", icon: IconDatabase },
      { to: "/search", label: "Search", icon: IconSearch },
    ],
  },
  {
    label: "Admin",
    roles: ["admin"],
    items: [
      { to: "/admin/members", label: "Members & roles", icon: IconUsers },
      { to: "/admin/groups", label: "Groups", icon: IconUsersGroup },
      { to: "/admin/spaces", label: "Spaces", icon: IconFolders },
      { to: "/admin/connections", label: "Connections", icon: IconPlugConnected },
      { to: "/admin/api-tokens", label: "API tokens", icon: IconKey },
      { to: "/admin/audit", label: "Audit log", icon: IconListDetails },
      { to: "/admin/limits", label: "Limits", icon: IconGauge },
      { to: "/admin/retention", label: "Retention", icon: IconClockHour4 },
      { to: "/admin/privacy", label: "Privacy requests", icon: IconShieldLock },
      { to: "/admin/models", label: "Models", icon: IconCpu },
      { to: "/admin/provisioning", label: "Provisioning", icon: IconUserCheck },
      { to: "/admin/authentication", label: "Authentication", icon: IconLogin2 },
    ],
  },
];

export function visibleSections(role: string | undefined): NavSection[] {
  return NAV_SECTIONS.filter((section) => !section.roles || (role && section.roles.includes(role)));
}
