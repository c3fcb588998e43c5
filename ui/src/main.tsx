/** Entry point: mounts the app with its language, session and router. */
import { render } from 'preact';
import { App } from './app';
import { I18nProvider } from './i18n';
import { AuthProvider } from './lib/auth';
import { RouterProvider } from './lib/router';
import './styles.css';

render(
  <I18nProvider>
    <AuthProvider>
      <RouterProvider>
        <App />
      </RouterProvider>
    </AuthProvider>
  </I18nProvider>,
  document.getElementById('app')!,
);
