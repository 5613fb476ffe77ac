import { lazy, Suspense, useEffect, useRef } from "react";
import { AppHeader } from "./components/AppHeader.tsx";
import { OfflineNotice } from "./components/OfflineNotice.tsx";
import { useSession } from "./hooks/useSession.ts";
import { useRoute } from "./router.ts";
import { AIModelsScreen } from "./screens/AIModelsScreen.tsx";
import { CharacterChatScreen } from "./screens/CharacterChatScreen.tsx";
import { CreateModelScreen } from "./screens/CreateModelScreen.tsx";
import { QuickFineTuneDemo } from "./screens/QuickFineTuneDemo.tsx";
import { SignInScreen } from "./screens/SignInScreen.tsx";
import { UnknownAddress } from "./screens/UnknownAddress.tsx";

// Loaded when first opened, so the first screen's JavaScript stays small.
const GroupChatScreen = lazy(() => import("./screens/GroupChatScreen.tsx"));
// Admins only, with its chart library: never part of a reader's first load.
const AnalyticsScreen = lazy(() => import("./screens/AnalyticsScreen.tsx"));
const ExamplesScreen = lazy(() => import("./screens/ExamplesScreen.tsx"));
const CastScreen = lazy(() => import("./screens/CastScreen.tsx"));
// The usage page brings the chart library: it loads only there.
const UsageScreen = lazy(() => import("./screens/UsageScreen.tsx"));
const ReaderScreen = lazy(() => import("./screens/ReaderScreen.tsx"));

export function App() {
  const session = useSession();
  const route = useRoute();
  const main = useRef<HTMLElement>(null);

  // A new screen takes the focus, so keyboard and screen-reader users start at its top.
  useEffect(() => {
    main.current?.focus({ preventScroll: true });
  }, [route.screen]);

  if (session === undefined) return <div className="splash" role="status">Loading…</div>;
  if (!session) return <SignInScreen />;
  // Set by the service only (users cannot write their app_metadata); the API checks it again.
  const isAdmin = session.user.app_metadata?.role === "admin";

  return (
    <>
      <a className="skip-link" href="#main">Skip to content</a>
      <AppHeader email={session.user.email ?? ""} isAdmin={isAdmin} />
      <OfflineNotice />
      <main id="main" ref={main} tabIndex={-1} className={`screen screen-${route.screen}`}>
        {route.screen === "models" && <AIModelsScreen userId={session.user.id} filter={route.filter} />}
        {route.screen === "create" && <CreateModelScreen />}
        {route.screen === "chat" && (
          <CharacterChatScreen key={route.modelId} modelId={route.modelId} conversationId={route.conversationId} userId={session.user.id} />
        )}
        {route.screen === "demo" && <QuickFineTuneDemo />}
        {route.screen === "analytics" && (
          <Suspense fallback={<p className="state-message" role="status">Loading…</p>}>
            <AnalyticsScreen isAdmin={isAdmin} />
          </Suspense>
        )}
        {route.screen === "examples" && (
          <Suspense fallback={<p className="state-message" role="status">Loading…</p>}>
            <ExamplesScreen key={route.modelId} modelId={route.modelId} />
          </Suspense>
        )}
        {route.screen === "cast" && (
          <Suspense fallback={<p className="state-message" role="status">Loading…</p>}>
            <CastScreen key={route.bookId ?? ""} bookId={route.bookId} />
          </Suspense>
        )}
        {route.screen === "usage" && (
          <Suspense fallback={<p className="state-message" role="status">Loading…</p>}>
            <UsageScreen />
          </Suspense>
        )}
        {route.screen === "read" && (
          <Suspense fallback={<p className="state-message" role="status">Loading…</p>}>
            <ReaderScreen key={route.modelId} modelId={route.modelId} conversationId={route.conversationId} />
          </Suspense>
        )}
        {route.screen === "group" && (
          <Suspense fallback={<p className="state-message" role="status">Loading…</p>}>
            <GroupChatScreen
              key={route.conversationId ?? `new:${route.bookId ?? ""}:${route.withModelIds.join(",")}`}
              bookId={route.bookId}
              withModelIds={route.withModelIds}
              conversationId={route.conversationId}
            />
          </Suspense>
        )}
        {route.screen === "unknown" && <UnknownAddress path={route.path} modelId={route.modelId} />}
      </main>
    </>
  );
}
