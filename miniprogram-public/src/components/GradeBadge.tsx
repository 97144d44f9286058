import { Text, View } from '@tarojs/components';
import type { CreditGrade } from '@ygsa/shared';
import './GradeBadge.scss';

/** A face drawn in CSS: laugh (A), smile (B), cry (C); none while unrated. */
function Face({ smiley }: { smiley: CreditGrade['smiley'] }) {
  if (!smiley) return <Text className="grade-face grade-face--none">?</Text>;
  return (
    <View className={`grade-face grade-face--${smiley}`} aria-hidden>
      <View className="grade-face__eye grade-face__eye--left" />
      <View className="grade-face__eye grade-face__eye--right" />
      <View className="grade-face__mouth" />
    </View>
  );
}

interface Props {
  grade: Pick<CreditGrade, 'grade' | 'colour' | 'label' | 'smiley'>;
  size?: 'large' | 'small';
}

/** 三色码: colour, face, letter and word together, so colour is never the only signal. */
export function GradeBadge({ grade, size = 'large' }: Props) {
  return (
    <View
      className={`grade-badge grade-badge--${grade.colour} grade-badge--${size}`}
      id={size === 'large' ? 'grade-badge' : undefined}
      data-grade={grade.grade ?? 'none'}
      data-colour={grade.colour}
    >
      {size === 'large' && <Face smiley={grade.smiley} />}
      <View className="grade-badge__text">
        {grade.grade && <Text className="grade-badge__letter">{grade.grade}</Text>}
        <Text className="grade-badge__label">{grade.label}</Text>
      </View>
    </View>
  );
}
