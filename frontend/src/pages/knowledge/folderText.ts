/** What a folder is, said on the data source pages and in the new-folder dialog. */
export const FOLDER_EXPLAINER =
  "A folder is a data source you fill by uploading files: PDFs, Word documents, slides, " +
  "spreadsheets, Markdown, HTML or text. It lives in a space, so everyone who can open that " +
  "space can search it and agents can cite it.";
