import {
  IconDatabase,
  IconFolders,
  IconHome,
  IconKey,
  IconListDetails,
  IconSearch,
  IconUsers,
  IconUsersGroup,
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
 * The dashboard's navigation. Add a section (or items) here as features land — agents,
 * conversations, connections — and a matching route in App.tsx.
 */
export const NAV_SECTIONS: NavSection[] = [
  {
    label: null,
    items: [{ to: "/", label: "Overview", icon: IconHome, end: true }],
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
      { to: "/admin/api-tokens", label: "API tokens", icon: IconKey },
      { to: "/admin/audit", label: "Audit log", icon: IconListDetails },
    ],
  },
];

export function visibleSections(role: string | undefined): NavSection[] {
  return NAV_SECTIONS.filter((section) => !section.roles || (role && section.roles.includes(role)));
}
