"""Server-rendered pages: the home redirect, the task page (forms that work without JS,
enhanced by `static/js/tasks.js`) and the dashboard (`static/js/dashboard.js`)."""
