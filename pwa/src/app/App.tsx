import { useEffect } from 'preact/hooks';
import { decide } from './guard';
import { router } from './navigation';
import { Activate } from './screens/Activate';
import { Home } from './screens/Home';
import { SignIn } from './screens/SignIn';
import { Loading, NotFound, Unreachable } from './screens/Status';
import { status } from './session';

export function App() {
  const decision = decide(router.route.value, status.value);
  const redirect = 'redirect' in decision ? decision.redirect : null;
  useEffect(() => {
    if (redirect !== null) router.navigate(redirect, { replace: true });
  }, [redirect]);

  if (!('screen' in decision)) return <Loading />;
  switch (decision.screen) {
    case 'loading':
      return <Loading />;
    case 'unreachable':
      return <Unreachable />;
    case 'signIn':
      return <SignIn />;
    case 'activate':
      return <Activate />;
    case 'home':
      return <Home />;
    case 'notFound':
      return <NotFound />;
  }
}
