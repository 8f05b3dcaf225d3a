import { Navigate, Route, Routes } from "react-router-dom";
import { RequireAuth } from "./auth/RequireAuth";
import { AppLayout } from "./layout/AppLayout";
import { AdminGuard } from "./pages/admin/AdminGuard";
import { AuditPage } from "./pages/admin/audit/AuditPage";
import { GroupsPage } from "./pages/admin/GroupsPage";
import { MembersPage } from "./pages/admin/MembersPage";
import { SpaceDetailPage } from "./pages/admin/SpaceDetailPage";
import { SpacesPage } from "./pages/admin/SpacesPage";
import { TokensPage } from "./pages/admin/TokensPage";
import { HomePage } from "./pages/HomePage";
import { DataSourceDetailPage } from "./pages/knowledge/DataSourceDetailPage";
import { DataSourcesPage } from "./pages/knowledge/DataSourcesPage";
import { SearchPage } from "./pages/knowledge/SearchPage";
import { LoginPage } from "./pages/LoginPage";
import { NotFoundPage } from "./pages/NotFoundPage";

/** Routes. New areas (agents, conversations, connections) go inside the shell's route. */
export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        element={
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        }
      >
        <Route index element={<HomePage />} />
        <Route path="data" element={<DataSourcesPage />} />
        <Route path="data/:dataSourceId" element={<DataSourceDetailPage />} />
        <Route path="search" element={<SearchPage />} />
        <Route path="admin" element={<AdminGuard />}>
          <Route index element={<Navigate to="members" replace />} />
          <Route path="members" element={<MembersPage />} />
          <Route path="groups" element={<GroupsPage />} />
          <Route path="spaces" element={<SpacesPage />} />
          <Route path="spaces/:spaceId" element={<SpaceDetailPage />} />
          <Route path="api-tokens" element={<TokensPage />} />
          <Route path="audit" element={<AuditPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
