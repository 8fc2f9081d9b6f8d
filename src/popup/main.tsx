import { render } from 'preact';

function App() {
  return <main>Reclaim popup</main>;
}

const root = document.getElementById('app');
if (root) render(<App />, root);
