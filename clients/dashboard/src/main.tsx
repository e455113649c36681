import "./styles.css";

import { render } from "preact";
import { useEffect, useState } from "preact/hooks";

import { keyNeeded, onKeyNeeded } from "./api/auth";
import { restartLab } from "./lab/watch";
import { Execution } from "./pages/Execution";
import { Executions } from "./pages/Executions";
import { History } from "./pages/History";
import { Login } from "./pages/Login";
import { Start } from "./pages/Start";
import { Wall } from "./pages/Wall";
import { follow, parse, type Route, useLocation } from "./router";

const NAV: [string, string, Route["page"][]][] = [
  ["/", "Devices", ["wall"]],
  ["/executions", "Executions", ["executions", "execution"]],
  ["/history", "History", ["history"]],
  ["/start", "Start", ["start"]],
];

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case "wall":
      return <Wall />;
    case "executions":
      return <Executions />;
    case "execution":
      return (
        <Execution key={`${route.hostName}/${route.executionId}`} hostName={route.hostName} executionId={route.executionId} />
      );
    case "history":
      return <History />;
    case "start":
      return <Start />;
    case "missing":
      return (
        <>
          <h1>Not found</h1>
          <p>
            No page here. <a href="/">Devices</a>
          </p>
        </>
      );
  }
}

function App() {
  const location = useLocation();
  const route = parse(location.pathname);
  const [login, setLogin] = useState(keyNeeded());
  const [session, setSession] = useState(0); // a new key remounts the page: it asks again
  useEffect(
    () =>
      onKeyNeeded((needed) => {
        setLogin(needed);
        if (!needed) {
          setSession((n) => n + 1);
          restartLab();
        }
      }),
    [],
  );
  useEffect(() => {
    const title = NAV.find(([, , pages]) => pages.includes(route.page))?.[1] ?? "Not found";
    document.title = `${title} · Lab dashboard`;
  }, [route.page]);
  return (
    <div onClick={follow}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Lab dashboard</span>
        <nav aria-label="Pages">
          <ul>
            {NAV.map(([href, label, pages]) => (
              <li key={href}>
                <a href={href} aria-current={pages.includes(route.page) ? "page" : undefined}>
                  {label}
                </a>
              </li>
            ))}
            <li>
              <a href="/docs">API</a>
            </li>
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {login ? <Login /> : <Page key={session} route={route} />}
      </main>
    </div>
  );
}

const root = document.getElementById("app");
if (root) render(<App />, root);
