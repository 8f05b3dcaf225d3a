import { Navigate, Route, Routes } from "react-router-dom";
import { RequireAuth } from "./auth/RequireAuth";
import { AppLayout } from "./layout/AppLayout";
import { AdminGuard } from "./pages/admin/AdminGuard";
import { AuditPage } from "./pages/admin/audit/AuditPage";
import { ConnectionDetailPage } from "./pages/admin/connections/ConnectionDetailPage";
import { ConnectionsPage } from "./pages/admin/connections/ConnectionsPage";
import { NewConnectionPage } from "./pages/admin/connections/NewConnectionPage";
import { GroupsPage } from "./pages/admin/GroupsPage";
import { LimitsPage } from "./pages/admin/LimitsPage";
import { RetentionPage } from "./pages/admin/retention/RetentionPage";
import { AuthenticationPage } from "./pages/admin/authentication/AuthenticationPage";
import { MembersPage } from "./pages/admin/MembersPage";
import { ModelsPage } from "./pages/admin/models/ModelsPage";
import { PrivacyRequestsPage } from "./pages/admin/privacy/PrivacyRequestsPage";
import { ProvisioningPage } from "./pages/admin/provisioning/ProvisioningPage";
import { SpaceDetailPage } from "./pages/admin/SpaceDetailPage";
import { SpacesPage } from "./pages/admin/SpacesPage";
import { TokensPage } from "./pages/admin/TokensPage";
import { AgentBuilderPage } from "./pages/agents/AgentBuilderPage";
import { AgentsPage } from "./pages/agents/AgentsPage";
import { ConversationPage } from "./pages/conversations/ConversationPage";
import { ConversationsPage } from "./pages/conversations/ConversationsPage";
import { SharedConversationPage } from "./pages/conversations/SharedConversationPage";
import { HomePage } from "./pages/HomePage";
import { InvitationPage } from "./pages/InvitationPage";
import { DataSourceDetailPage } from "./pages/knowledge/DataSourceDetailPage";
import { DataSourcesPage } from "./pages/knowledge/DataSourcesPage";
import { SearchPage } from "./pages/knowledge/SearchPage";
import { LoginPage } from "./pages/LoginPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { ConfirmPasswordResetPage, RequestPasswordResetPage } from "./pages/PasswordResetPages";

/** Routes. New areas go inside the shell's route. */
export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      {/* Reached from emailed links, before the person has (or is logged in to) an account. */}
      <Route path="/invite/:token" element={<InvitationPage />} />
      <Route path="/reset-password" element={<RequestPasswordResetPage />} />
      <Route path="/reset-password/:uid/:token" element={<ConfirmPasswordResetPage />} />
      <Route
        element={
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        }
      >
        <Route index element={<HomePage />} />
        <Route path="agents" element={<AgentsPage />} />
        <Route path="agents/new" element={<AgentBuilderPage />} />
        <Route path="agents/:agentId" element={<AgentBuilderPage />} />
        <Route path="conversations" element={<ConversationsPage />} />
        {/* One route for "new" and saved ones: the page stays mounted while the first answer streams. */}
        <Route path="conversations/:conversationId" element={<ConversationPage />} />
        <Route path="shared/:token" element={<SharedConversationPage />} />
        <Route path="data" element={<DataSourcesPage />} />
        <Route path="data/:dataSourceId" element={<DataSourceDetailPage />} />
        <Route path="search" element={<SearchPage />} />
        <Route path="admin" element={<AdminGuard />}>
          <Route index element={<Navigate to="members" replace />} />
          <Route path="members" element={<MembersPage />} />
          <Route path="groups" element={<GroupsPage />} />
          <Route path="spaces" element={<SpacesPage />} />
          <Route path="spaces/:spaceId" element={<SpaceDetailPage />} />
          <Route path="connections" element={<ConnectionsPage />} />
          <Route path="connections/new" element={<NewConnectionPage />} />
          <Route path="connections/:connectionId" element={<ConnectionDetailPage />} />
          <Route path="api-tokens" element={<TokensPage />} />
          <Route path="audit" element={<AuditPage />} />
          <Route path="limits" element={<LimitsPage />} />
          <Route path="retention" element={<RetentionPage />} />
          <Route path="privacy" element={<PrivacyRequestsPage />} />
          <Route path="models" element={<ModelsPage />} />
          <Route path="provisioning" element={<ProvisioningPage />} />
          <Route path="authentication" element={<AuthenticationPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
