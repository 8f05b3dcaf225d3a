import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { RequireAuth } from "../../auth/RequireAuth";
import { meWithRole, renderWithProviders, stubFetch, type RecordedRequest } from "../../test/utils";
import { highlightTerms, passageText } from "./searchQuery";
import { SearchPage } from "./SearchPage";

const VIEWS = [
  {
    id: 4,
    data_source_id: 3,
    data_source_name: "HR policies",
    data_source_kind: "folder",
    space_id: 1,
    space_name: "Company",
    parent_ids: [],
  },
  {
    id: 6,
    data_source_id: 5,
    data_source_name: "Finance docs",
    data_source_kind: "folder",
    space_id: 2,
    space_name: "Finance",
    parent_ids: [],
  },
];

const HITS = [
  {
    document_id: 21,
    title: "Employee handbook",
    url: "",
    source: "folder",
    data_source_id: 3,
    data_source_name: "HR policies",
    source_created_at: null,
    source_updated_at: "2026-11-02T09:00:00Z",
    score: 0.8731,
    passages: [
      { chunk_id: 101, position: 3, text: "Everyone gets 25 vacation days a year.", score: 0.87 },
      { chunk_id: 102, position: 4, text: "Unused Vacation carries over until March.", score: 0.61 },
    ],
  },
  {
    document_id: 22,
    title: "Leave policy",
    url: "https://wiki.example.com/leave",
    source: "notion",
    data_source_id: 9,
    data_source_name: "Wiki",
    source_created_at: "2026-10-01T09:00:00Z",
    source_updated_at: null,
    score: 0.5,
    passages: [{ chunk_id: 201, position: 0, text: "Ask your manager before booking days off.", score: 0.5 }],
  },
];

function renderSearch(path = "/search", hits: unknown[] = HITS) {
  const stub = stubFetch({
    "GET /api/v1/me": { body: meWithRole("member") },
    "GET /api/v1/workspaces/1/views": { body: VIEWS },
    "GET /api/v1/workspaces/1/search": { body: hits },
    "GET /api/v1/workspaces/1/documents/21": {
      body: {
        ...HITS[0],
        id: 21,
        external_id: "file:handbook.md",
        mime_type: "text/markdown",
        status: "ready",
        error_code: "",
        error_message: "",
        chunk_count: 14,
        size_bytes: 2048,
        updated_at: "2026-11-25T10:00:00Z",
        text: "# Employee handbook\n\nEveryone gets 25 vacation days a year.",
      },
    },
  });
  renderWithProviders(
    <Routes>
      <Route
        path="/search"
        element={
          <RequireAuth>
            <SearchPage />
          </RequireAuth>
        }
      />
    </Routes>,
    { path },
  );
  const searchCalls = () => stub.requests.filter((r: RecordedRequest) => r.url.pathname.endsWith("/search"));
  return { ...stub, searchCalls };
}

describe("SearchPage", () => {
  it("builds the query string from the query, mode and view filter", { timeout: 15000 }, async () => {
    const { searchCalls } = renderSearch();
    const user = userEvent.setup();

    expect(await screen.findByText("Search your knowledge")).toBeInTheDocument();
    expect(searchCalls()).toHaveLength(0);

    await user.type(screen.getByRole("textbox", { name: "Search" }), "vacation days");
    await user.click(screen.getByRole("textbox", { name: "Only in" }));
    await user.click(await screen.findByRole("option", { name: "HR policies · Company" }));
    await user.click(await screen.findByRole("option", { name: "Finance docs · Finance" }));
    await user.click(screen.getByRole("button", { name: "Search" }));

    await waitFor(() => expect(searchCalls()).toHaveLength(1));
    expect(searchCalls()[0].url.search).toBe("?query=vacation%20days&k=10&mode=hybrid&view_ids=4&view_ids=6");

    // Switching the mode searches again at once, keeping the query and the filter.
    await user.click(screen.getByRole("radio", { name: "Full text" }));
    await waitFor(() => expect(searchCalls()).toHaveLength(2));
    const { searchParams } = searchCalls()[1].url;
    expect(searchParams.get("query")).toBe("vacation days");
    expect(searchParams.get("k")).toBe("10");
    expect(searchParams.get("mode")).toBe("full_text");
    expect(searchParams.getAll("view_ids")).toEqual(["4", "6"]);
  });

  it("renders hits with their passages and the query words highlighted", async () => {
    const { searchCalls } = renderSearch("/search?q=vacation%20days");

    const card = await screen.findByRole("article", { name: "Employee handbook" });
    expect(searchCalls()[0].url.search).toBe("?query=vacation%20days&k=10&mode=hybrid");
    expect(within(card).getByText("Folder")).toBeInTheDocument();
    expect(within(card).getByText("HR policies")).toBeInTheDocument();
    expect(within(card).getByText("0.873")).toBeInTheDocument();

    const passages = within(card).getAllByTestId("search-passage");
    expect(passages).toHaveLength(2);
    expect(passages[0]).toHaveTextContent("Everyone gets 25 vacation days a year.");
    const marks = [...card.querySelectorAll("mark")].map((mark) => mark.textContent);
    expect(marks).toEqual(["vacation", "days", "Vacation"]);

    // A hit with a url links out; one without opens the document drawer.
    const other = screen.getByRole("article", { name: "Leave policy" });
    expect(within(other).getByRole("link", { name: /Leave policy/ })).toHaveAttribute(
      "href",
      "https://wiki.example.com/leave",
    );
    const user = userEvent.setup();
    await user.click(within(card).getByRole("button", { name: "Employee handbook" }));
    expect(await screen.findByLabelText("Document text")).toHaveTextContent("Everyone gets 25 vacation days a year.");
  });

  it("says so when nothing you can open matched", async () => {
    renderSearch("/search?q=quarterly%20numbers&mode=dense&views=6", []);
    expect(await screen.findByText("No results you can open")).toBeInTheDocument();
  });

  it("shows the API's message when the search fails", async () => {
    stubFetch({
      "GET /api/v1/me": { body: meWithRole("member") },
      "GET /api/v1/workspaces/1/views": { body: VIEWS },
      "GET /api/v1/workspaces/1/search": {
        status: 503,
        body: { error: { code: "embedding_unavailable", message: "The embedding service is not reachable." } },
      },
    });
    renderWithProviders(
      <Routes>
        <Route
          path="/search"
          element={
            <RequireAuth>
              <SearchPage />
            </RequireAuth>
          }
        />
      </Routes>,
      { path: "/search?q=x1" },
    );
    expect(await screen.findByText("The embedding service is not reachable.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Retry" })).toBeInTheDocument();
  });
});

describe("highlightTerms", () => {
  it("keeps words of three letters or more that are not stop words, once each", () => {
    expect(highlightTerms("How many vacation-days do we get? a Days")).toEqual(["vacation", "days"]);
  });
});

describe("passageText", () => {
  it("drops the indexer's breadcrumb line and folds blank lines", () => {
    expect(passageText("Handbook \u203a HR policies\n\n# Leave\n\nEveryone gets 25 days.\n")).toBe(
      "# Leave\nEveryone gets 25 days.",
    );
    expect(passageText("Plain text\nwith lines")).toBe("Plain text\nwith lines");
  });
});
