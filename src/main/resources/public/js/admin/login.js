// The admin login page: posts the password, and on success goes to the dashboard. The session
// is an HttpOnly cookie the server sets; this page never sees it.

const form = document.getElementById('login-form');
const error = document.getElementById('login-error');
const password = document.getElementById('password');

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.hidden = true;
  const response = await fetch('/api/admin/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ password: password.value }),
  }).catch(() => null);
  if (response?.ok) {
    location.assign('/admin');
    return;
  }
  const body = await response?.json().catch(() => ({}));
  error.textContent = response ? (body?.error ?? `Login failed (${response.status})`) : 'The server cannot be reached.';
  error.hidden = false;
  password.select();
});
password.focus();
